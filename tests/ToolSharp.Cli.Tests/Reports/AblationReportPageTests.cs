using ToolSharp.Cli.Reports;
using ToolSharp.Training.Benchmarks;
using ToolSharp.Training.Metrics;
using ToolSharp.Training.Pipeline;

namespace ToolSharp.Cli.Tests.Reports;

public class AblationReportPageTests
{
    private static AblationRun Run(string method, ulong seed, params (double T, double Acc)[] curve) =>
        new(method, seed, curve[^1].Acc, curve[^1].T, curve.Length, 0, 100, 50, new Dictionary<string, double>(),
            curve.Select((p, i) => new ValidationPoint(i, p.T, p.Acc)).ToList());

    private static RlAblation Ablation() =>
        new(new TrainConfig(), AblationMethod.Standard(4, 1).Take(2).ToList(), [1, 2], "unused");

    [Fact]
    public void The_report_page_draws_one_accuracy_line_per_seed_and_one_curve_per_method()
    {
        var runs = new[]
        {
            Run("grpo", 1, (0, 0.1), (10, 0.5)) with { Curve = [new AblationStep(1, 5, 0.9, 1.1, 1, 0.3), new AblationStep(2, 10, 0.8, 1.0, 1, 0.4)] },
            Run("grpo", 2, (0, 0.1), (12, 0.6)) with { Curve = [new AblationStep(1, 6, 0.7, 0.9, 2, 0.5), new AblationStep(2, 12, 0.6, 0.8, 2, 0.6)] },
            Run("filter", 1, (0, 0.1), (8, 0.7)) with { Curve = [new AblationStep(1, 4, 0.5, 0.5, 1, 0.5)] },
        };
        var report = Ablation().Summarise(runs);
        var html = AblationReportPage.Html(report);
        var accuracy = AblationReportPage.AccuracySvg(report);
        System.Text.RegularExpressions.Regex.Count(accuracy, "<polyline class=\"line\"").ShouldBe(3);
        accuracy.ShouldContain("class=\"reference\"");
        var entropy = AblationReportPage.StepSvg(report, "entropy", "t", s => s.Entropy);
        System.Text.RegularExpressions.Regex.Count(entropy, "<polyline class=\"line\"").ShouldBe(1); // grpo's mean; filter has one step → a point
        System.Text.RegularExpressions.Regex.Count(entropy, "<circle class=\"point\"").ShouldBe(1);
        entropy.ShouldContain("<title>grpo</title>");
        foreach (var header in AblationTable.Headers) html.ShouldContain(System.Net.WebUtility.HtmlEncode(header));
        AblationTable.Markdown(report).Split('\n').Count(l => l.StartsWith("| grpo |")).ShouldBe(1);
    }
}
