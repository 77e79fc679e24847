using System.Globalization;
using System.Text;

namespace ToolSharp.Training.Benchmarks;

/// <summary>The per-method table of an ablation, as cells, so the Markdown and the HTML report show the same numbers.</summary>
public static class AblationTable
{
    public static IReadOnlyList<string> Headers { get; } =
    [
        "method", "seeds", "RL time to target (s)", "speedup vs GRPO", "final accuracy (95% CI)", "RL time (s)", "prompts skipped",
        "rollouts trained", "tool calls / rollout", "tool calls / solved task", "final entropy",
    ];

    public static IReadOnlyList<IReadOnlyList<string>> Rows(AblationReport report) => report.Methods.Select(m =>
    {
        var time = m.TimeToTargetS is { } t ? I($"{t:F0} ({m.SeedsReachingTarget}/{m.Seeds} seeds)") : $"not reached (0/{m.Seeds})";
        var speedup = m.SpeedupVsGrpo is { } s ? I($"{s:F2}×") : "–";
        return (IReadOnlyList<string>)
        [
            m.Name, I($"{m.Seeds}"), time, speedup, I($"{m.FinalAccuracy:P1} ({m.FinalAccuracyCi.Low:P1}–{m.FinalAccuracyCi.High:P1})"),
            I($"{m.TrainingSeconds:F0}"), I($"{m.PromptsSkipped:F0}"), I($"{m.RolloutsTrainedFraction:P0}"), I($"{m.ToolCallsPerRollout:F2}"),
            I($"{m.ToolCallsPerSolved:F2}"), I($"{m.FinalEntropy:F3}"),
        ];
    }).ToList();

    /// <summary>One line of settings, then the table.</summary>
    public static string Markdown(AblationReport report)
    {
        var text = new StringBuilder();
        text.Append(I($"RL ablation on {report.Environment}, model {report.Model}; target validation accuracy {report.TargetAccuracy:P0} ({report.TargetRule}).\n\n"));
        text.Append("| ").Append(string.Join(" | ", Headers)).Append(" |\n");
        text.Append('|').Append(string.Concat(Headers.Select(_ => " --- |"))).Append('\n');
        foreach (var row in Rows(report)) text.Append("| ").Append(string.Join(" | ", row)).Append(" |\n");
        return text.ToString();
    }

    private static string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
