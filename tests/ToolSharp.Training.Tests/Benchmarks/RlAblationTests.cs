using ToolSharp.Training.Benchmarks;
using ToolSharp.Training.Metrics;
using ToolSharp.Training.Pipeline;

namespace ToolSharp.Training.Tests.Benchmarks;

public class RlAblationTests
{
    private static AblationRun Run(string method, ulong seed, params (double T, double Acc)[] curve) =>
        new(method, seed, curve[^1].Acc, curve[^1].T, curve.Length, 0, 100, 50, new Dictionary<string, double>(),
            curve.Select((p, i) => new ValidationPoint(i, p.T, p.Acc)).ToList());

    private static RlAblation Ablation(double? target = null) =>
        new(new TrainConfig(), AblationMethod.Standard(4, 1).Take(2).ToList(), [1, 2], "unused") { TargetAccuracy = target };

    [Fact]
    public void Time_to_target_is_the_first_validation_at_or_above_it()
    {
        var run = Run("grpo", 1, (0, 0.1), (10, 0.5), (20, 0.7), (30, 0.65));
        run.TimeToTarget(0.6).ShouldBe(20);
        run.TimeToTarget(0.5).ShouldBe(10);
        run.TimeToTarget(0.9).ShouldBeNull();
    }

    [Fact]
    public void Speedup_is_grpo_time_over_method_time_and_the_auto_target_follows_grpo()
    {
        var runs = new[]
        {
            Run("grpo", 1, (0, 0.1), (10, 0.5), (20, 0.8)),
            Run("grpo", 2, (0, 0.1), (10, 0.6), (20, 0.8)),
            Run("filter", 1, (0, 0.1), (5, 0.8), (10, 0.8)),
            Run("filter", 2, (0, 0.1), (5, 0.7), (10, 0.8)),
        };
        var report = Ablation().Summarise(runs);
        report.TargetAccuracy.ShouldBe(0.76, 1e-9); // floor(0.95 * 0.8 * 100) / 100
        var grpo = report.Methods.Single(m => m.Name == "grpo");
        var filter = report.Methods.Single(m => m.Name == "filter");
        grpo.TimeToTargetS.ShouldBe(20);
        filter.TimeToTargetS.ShouldBe(7.5);
        filter.SeedsReachingTarget.ShouldBe(2);
        filter.SpeedupVsGrpo!.Value.ShouldBe(20 / 7.5, 1e-9);
        grpo.SpeedupVsGrpo!.Value.ShouldBe(1.0, 1e-9);
        grpo.FinalAccuracyCi.ShouldBe((0.8, 0.8));
    }

    [Fact]
    public void A_method_that_never_reaches_the_target_has_no_time_and_no_speedup()
    {
        var runs = new[] { Run("grpo", 1, (0, 0.2), (10, 0.9)), Run("filter", 1, (0, 0.2), (10, 0.4)) };
        var filter = Ablation(0.8).Summarise(runs).Methods.Single(m => m.Name == "filter");
        filter.TimeToTargetS.ShouldBeNull();
        filter.SpeedupVsGrpo.ShouldBeNull();
    }

    [Fact]
    public void Tool_calls_per_solved_task_and_entropy_come_from_the_last_validation_and_the_last_quarter_of_steps()
    {
        static AblationRun WithCurve(ulong seed, double callsPerSolved, params double[] entropies) =>
            Run("grpo", seed, (0, 0.2), (10, 0.5)) with
            {
                Validation = [new ValidationPoint(0, 0, 0.2, 3), new ValidationPoint(8, 10, 0.5, callsPerSolved)],
                Curve = entropies.Select((e, i) => new AblationStep(i + 1, i, e, 0, 1, 0)).ToList(),
            };
        var a = WithCurve(1, 2.0, 9, 9, 9, 9, 9, 9, 1, 3); // last quarter of 8 steps = the last two
        var b = WithCurve(2, 1.0, 4);
        a.FinalEntropy.ShouldBe(2);
        b.FinalEntropy.ShouldBe(4);
        var grpo = Ablation().Summarise([a, b]).Methods.Single(m => m.Name == "grpo");
        grpo.ToolCallsPerSolved.ShouldBe(1.5);
        grpo.FinalEntropy.ShouldBe(3);
    }

    [Fact]
    public void The_interval_is_students_t_over_seeds()
    {
        var (low, high) = SeedInterval.Mean95([0.5, 0.6, 0.7]);
        // mean 0.6, sd 0.1, t(0.975, 2) = 4.3027
        low.ShouldBe(0.6 - 4.302653 * 0.1 / Math.Sqrt(3), 1e-5);
        high.ShouldBe(0.6 + 4.302653 * 0.1 / Math.Sqrt(3), 1e-5);
    }
}
