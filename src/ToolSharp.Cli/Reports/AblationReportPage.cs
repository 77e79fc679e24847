using System.Globalization;
using System.Net;
using System.Text;
using ToolSharp.Evaluation.Reports;
using ToolSharp.Training.Benchmarks;

namespace ToolSharp.Cli.Reports;

/// <summary>The ablation's charts and HTML report: accuracy against RL wall-clock (one line per seed), and per-step
/// curves of policy entropy, post-tool entropy, tool calls per rollout and training accuracy (mean over seeds).</summary>
public static class AblationReportPage
{
    /// <summary>Validation accuracy against RL training seconds, one colour per method, one line per seed.</summary>
    public static string AccuracySvg(AblationReport report) =>
        SvgCharts.Lines("accuracy-vs-time", $"Validation accuracy vs RL training time — {report.Environment}", "RL training seconds (validation excluded)",
            report.Methods.SelectMany((m, i) => report.Runs.Where(r => r.Method == m.Name).Select((r, k) =>
                new LineSeries(k == 0 ? m.Name : $"{m.Name} seed {r.Seed}", i, r.Validation.Select(v => (v.TrainingS, v.Accuracy)).ToList(), InLegend: k == 0))).ToList(),
            yMin: 0, yMax: 1, reference: (report.TargetAccuracy, $"target {report.TargetAccuracy.ToString("P0", CultureInfo.InvariantCulture)}"), percent: true);

    /// <summary>A per-step quantity averaged over the seeds of each method (steps missing in a seed are left out).</summary>
    public static string StepSvg(AblationReport report, string name, string title, Func<AblationStep, double> value, bool percent = false) =>
        SvgCharts.Lines(name, title, "RL step",
            report.Methods.Select((m, i) => new LineSeries(m.Name, i, report.Runs.Where(r => r.Method == m.Name)
                .SelectMany(r => r.Curve ?? []).GroupBy(s => s.Step).OrderBy(g => g.Key)
                .Select(g => ((double)g.Key, g.Average(value))).ToList())).ToList(),
            yMin: percent ? 0 : null, yMax: percent ? 1 : null, percent: percent);

    public static string Html(AblationReport report)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>RL ablation — ").Append(E(report.Environment)).Append("</title>");
        sb.Append("<style>").Append(HtmlReport.Stylesheet).Append("</style></head><body>");
        sb.Append("<h1>RL ablation on ").Append(E(report.Environment)).Append("</h1>");
        sb.Append("<p>Model ").Append(E(report.Model)).Append(CultureInfo.InvariantCulture, $"; {report.Runs.Select(r => r.Seed).Distinct().Count()} seeds per method; target validation accuracy {report.TargetAccuracy:P0} ({E(report.TargetRule)}).</p>");
        sb.Append("<table><tr>");
        foreach (var h in AblationTable.Headers) sb.Append("<th").Append(h == "method" ? " class=\"l\"" : "").Append('>').Append(E(h)).Append("</th>");
        sb.Append("</tr>");
        foreach (var row in AblationTable.Rows(report))
        {
            sb.Append("<tr>");
            for (var i = 0; i < row.Count; i++) sb.Append(i == 0 ? "<td class=\"l\">" : "<td>").Append(E(row[i])).Append("</td>");
            sb.Append("</tr>");
        }
        sb.Append("</table>");
        sb.Append("<p class=\"note\">Time is RL training wall-clock (validation excluded) in one process on one machine. Final accuracy: greedy, on the " +
                  "validation tasks, 95% Student-t interval over seeds. Tool calls / solved task: greedy validation at the end. Final entropy: mean policy " +
                  "entropy (nats/token) over the last quarter of the steps.</p>");
        foreach (var m in report.Methods) sb.Append("<p class=\"note\"><b>").Append(E(m.Name)).Append("</b>: ").Append(E(m.Description)).Append("</p>");
        sb.Append(AccuracySvg(report));
        sb.Append(StepSvg(report, "entropy", "Policy entropy per step (mean over seeds)", s => s.Entropy));
        sb.Append(StepSvg(report, "post-tool-entropy", "Entropy of the tokens right after a tool result (mean over seeds)", s => s.PostToolEntropy));
        sb.Append(StepSvg(report, "tool-calls", "Tool calls per rollout (mean over seeds)", s => s.ToolCallsPerRollout));
        sb.Append(StepSvg(report, "train-accuracy", "Training-rollout accuracy per step (mean over seeds)", s => s.TrainAccuracy, percent: true));
        return sb.Append("</body></html>\n").ToString();
    }
}
