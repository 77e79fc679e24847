using ToolSharp.Training.Metrics;

namespace ToolSharp.Training.Pipeline;

/// <summary>What a finished run reports (summary.json).</summary>
public sealed record TrainSummary
{
    public required string Environment { get; init; }
    public required string Model { get; init; }
    public long Parameters { get; init; }
    /// <summary>The GEMM backend the run finished on: "managed" or "openblas" (TOOLSHARP_BLAS).</summary>
    public string Blas { get; init; } = "";
    public ulong Seed { get; init; }
    /// <summary>Greedy validation accuracy right after the supervised warm-up (before RL).</summary>
    public double WarmupValAccuracy { get; init; }
    /// <summary>Greedy validation accuracy at the end of RL.</summary>
    public double FinalValAccuracy { get; init; }
    public int ValidationTasks { get; init; }
    /// <summary>The history policy rollouts and validation saw (<c>toolsharp eval --history</c>; eval of the run defaults to it).</summary>
    public string History { get; init; } = "keep";
    /// <summary>The multi-turn construction rollouts and validation used (<c>toolsharp eval --template</c>; eval of the run defaults to it).</summary>
    public string Construction { get; init; } = "native";
    /// <summary>Seconds from start to end, warm-up, RL and validation included, summed over resumed sessions.</summary>
    public double WallClockS { get; init; }
    public double WarmupS { get; init; }
    public double RlS { get; init; }
    /// <summary>RL optimizer steps.</summary>
    public long Steps { get; init; }
    public int WarmupSteps { get; init; }
    /// <summary>The copy probe's last accuracy in the warm-up (teacher-forced digits of held-out demonstrations; null without a probe).</summary>
    public double? WarmupCopyAccuracy { get; init; }
    /// <summary>The first warm-up step at which the copy probe reached 90%: where the copy transition happened (null if it did not).</summary>
    public long? WarmupCopyStep { get; init; }
    /// <summary>Prompts the pre-rollout filter skipped over the run.</summary>
    public long PromptsSkipped { get; init; }
    /// <summary>Rollouts the filter saved (skipped prompts × rollouts per prompt): the generation compute not spent.</summary>
    public long RolloutsSavedByFilter { get; init; }
    public long Rollouts { get; init; }
    public long RolloutsTrained { get; init; }
    public double ToolCallsPerRollout { get; init; }
    public IReadOnlyDictionary<string, double> Phases { get; init; } = new Dictionary<string, double>();
    public IReadOnlyList<ValidationPoint> Validation { get; init; } = [];
}
