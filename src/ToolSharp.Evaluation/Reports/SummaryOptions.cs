using ToolSharp.Evaluation.Agent;

namespace ToolSharp.Evaluation.Reports;

/// <summary>Knobs of the summary: bootstrap seed and size, PTE decode weight, token prices, target CI half-width.</summary>
public sealed record SummaryOptions
{
    public ulong Seed { get; init; } = 1;
    public int Resamples { get; init; } = 1000;
    public double DecodeWeight { get; init; } = Efficiency.DefaultDecodeWeight;
    /// <summary>Price per million prompt and completion tokens; null when unpriced.</summary>
    public (double Prompt, double Completion)? PricePerMillion { get; init; }
    public double TargetHalfWidth { get; init; } = 0.05;
    /// <summary>The standard configuration: the baseline level of each factor (the first a sweep lists); null when unknown, and then no standard scores are reported.</summary>
    public IReadOnlyDictionary<string, string>? Standard { get; init; }
}
