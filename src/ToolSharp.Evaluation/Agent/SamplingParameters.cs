namespace ToolSharp.Evaluation.Agent;

/// <summary>Decoding parameters sent with every model request; null leaves the server's default (and is recorded as such).</summary>
/// <param name="Temperature">Sampling temperature; 0 = greedy.</param>
/// <param name="TopP">Nucleus sampling mass.</param>
/// <param name="Seed">Sampling seed; servers that honour it make a request reproducible.</param>
/// <param name="MaxTokens">Most tokens one assistant turn may generate.</param>
public sealed record SamplingParameters(double? Temperature = null, double? TopP = null, long? Seed = null, int? MaxTokens = null)
{
    public static SamplingParameters Default { get; } = new();
}
