namespace ToolSharp.Training.Benchmarks;

/// <summary>One (method, seed) RL run of the ablation.</summary>
public sealed record AblationRun(string Method, ulong Seed, double FinalAccuracy, double TrainingSeconds, long Steps, long PromptsSkipped,
    long Rollouts, long RolloutsTrained, IReadOnlyDictionary<string, double> Phases, IReadOnlyList<(long Step, double TrainingSeconds, double Accuracy)> Validation,
    double ToolCallsPerRollout = 0)
{
    /// <summary>Training seconds at the first validation reaching <paramref name="target"/>, or null when never reached.</summary>
    public double? TimeToTarget(double target) =>
        Validation.Where(v => v.Accuracy >= target - 1e-12).Select(v => (double?)v.TrainingSeconds).FirstOrDefault();
}

/// <summary>A method's runs summarised over seeds.</summary>
public sealed record AblationSummary(
    string Name,
    string Description,
    int Seeds,
    double? TimeToTargetS,
    int SeedsReachingTarget,
    double FinalAccuracy,
    (double Low, double High) FinalAccuracyCi,
    double? SpeedupVsGrpo,
    double TrainingSeconds,
    double PromptsSkipped,
    double RolloutsTrainedFraction,
    IReadOnlyDictionary<string, double> Phases,
    double ToolCallsPerRollout = 0);

/// <summary>The whole ablation: settings, per-run results and per-method summaries.</summary>
public sealed record AblationReport(string Environment, string Model, double TargetAccuracy, string TargetRule, IReadOnlyList<AblationRun> Runs, IReadOnlyList<AblationSummary> Methods);
