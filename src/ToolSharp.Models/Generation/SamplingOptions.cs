namespace ToolSharp.Models.Generation;

/// <summary>How the next token is drawn: temperature (0 = greedy), then top-k and nucleus (top-p) truncation.</summary>
/// <remarks>Reported log-probs and entropies are those of the temperature-scaled full distribution (before truncation),
/// which is what the policy-gradient loss recomputes in training.</remarks>
public sealed record SamplingOptions(float Temperature = 1f, int TopK = 0, float TopP = 1f)
{
    public static SamplingOptions Greedy { get; } = new(0f);

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsGreedy => Temperature <= 0f;
}
