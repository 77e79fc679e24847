using ToolSharp.Training.Metrics;

namespace ToolSharp.Training.Benchmarks;

/// <summary>One (method, seed) RL run of the ablation, with its validation points and per-step curves.</summary>
public sealed record AblationRun(string Method, ulong Seed, double FinalAccuracy, double TrainingSeconds, long Steps, long PromptsSkipped,
    long Rollouts, long RolloutsTrained, IReadOnlyDictionary<string, double> Phases, IReadOnlyList<ValidationPoint> Validation,
    double ToolCallsPerRollout = 0, IReadOnlyList<AblationStep>? Curve = null)
{
    /// <summary>Training seconds at the first validation reaching <paramref name="target"/>, or null when never reached.</summary>
    public double? TimeToTarget(double target) =>
        Validation.Where(v => v.Accuracy >= target - 1e-12).Select(v => (double?)v.TrainingS).FirstOrDefault();

    /// <summary>Greedy tool calls per solved validation task at the end of the run.</summary>
    public double FinalToolCallsPerSolved => Validation.Count == 0 ? 0 : Validation[^1].ToolCallsPerSolved;

    /// <summary>Mean policy entropy (nats per token) over the last quarter of the steps, 0 without steps.</summary>
    public double FinalEntropy
    {
        get
        {
            var steps = Curve ?? [];
            return steps.Count == 0 ? 0 : steps.Skip(steps.Count - Math.Max(1, steps.Count / 4)).Average(s => s.Entropy);
        }
    }
}

/// <summary>What one RL step of an ablation run looked like: policy entropy (all response tokens and right after tool
/// results), tool calls per rollout and training accuracy, at its training time.</summary>
public sealed record AblationStep(long Step, double TrainingS, double Entropy, double PostToolEntropy, double ToolCallsPerRollout, double TrainAccuracy)
{
    public static AblationStep From(StepMetrics m) =>
        new(m.Step, m.WallClockSeconds, m.Entropy, m.PostToolEntropy, m.ToolCallsMean, m.TrainAccuracy);
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
    double ToolCallsPerRollout = 0,
    double ToolCallsPerSolved = 0,
    double FinalEntropy = 0);

/// <summary>The whole ablation: settings, per-run results and per-method summaries.</summary>
public sealed record AblationReport(string Environment, string Model, double TargetAccuracy, string TargetRule, IReadOnlyList<AblationRun> Runs, IReadOnlyList<AblationSummary> Methods);
