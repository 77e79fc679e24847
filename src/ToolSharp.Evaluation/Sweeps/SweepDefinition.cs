namespace ToolSharp.Evaluation.Sweeps;

/// <summary>A sweep as a file describes it: models, environments with task subsets, factor levels, design and limits.</summary>
public sealed record SweepDefinition
{
    public string Name { get; init; } = "sweep";

    public required IReadOnlyList<ModelEntry> Models { get; init; }

    public required IReadOnlyList<EnvironmentEntry> Environments { get; init; }

    public FactorLevels Factors { get; init; } = new();

    public SweepDesign Design { get; init; } = new();

    /// <summary>Repeated attempts per (configuration, task, seed), for pass@k and pass^k.</summary>
    public int Trials { get; init; } = 1;

    public int MaxTurns { get; init; } = 8;

    public int MaxToolCalls { get; init; } = 16;

    /// <summary>Token limit per assistant turn; null leaves the server default.</summary>
    public int? MaxTokens { get; init; } = 1024;

    /// <summary>Price per million prompt and completion tokens, for cost-of-pass; null when not priced.</summary>
    public (double Prompt, double Completion)? PricePerMillion { get; init; }
}
