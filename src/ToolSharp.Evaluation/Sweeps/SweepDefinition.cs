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

    /// <summary>Assistant turns per episode; null for the environment's limit for the task.</summary>
    public int? MaxTurns { get; init; }

    /// <summary>Tool calls per episode; null for the environment's limit for the task.</summary>
    public int? MaxToolCalls { get; init; }

    /// <summary>Token limit per assistant turn; null for the backend's default: <see cref="EndpointMaxTokens"/> for
    /// endpoints, the checkpoint's <c>generation_config.json</c> (what its training validated with) for built-in models.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>The token limit per turn sent to endpoints when the sweep sets none.</summary>
    public const int EndpointMaxTokens = 1024;

    /// <summary>Price per million prompt and completion tokens, for cost-of-pass; null when not priced.</summary>
    public (double Prompt, double Completion)? PricePerMillion { get; init; }
}
