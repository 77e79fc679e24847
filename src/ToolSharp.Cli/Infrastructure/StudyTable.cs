using System.Globalization;
using Spectre.Console;
using ToolSharp.Evaluation.Reports;

namespace ToolSharp.Cli.Infrastructure;

/// <summary>The terminal report of a study: standard scores, factor swings, then ranking stability and the runs a target CI needs.</summary>
public static class StudyTable
{
    public static void Write(CliContext ctx, SweepSummary s)
    {
        if (s.Standard.Count > 0)
        {
            var standard = string.Join(", ", s.Options.Standard!.Select(kv => $"{kv.Key}={kv.Value}"));
            ctx.Out.WriteLine($"standard configuration ({standard}), every seed:");
            var t = new Table().Border(TableBorder.Markdown);
            foreach (var h in new[] { "model", "episodes", "accuracy", "95% CI" }) t.AddColumn(h);
            foreach (var m in s.Standard)
                t.AddRow(new[] { m.Model, m.Episodes.ToString(CultureInfo.InvariantCulture), P(m.Accuracy.Estimate), $"[{P(m.Accuracy.Low)}, {P(m.Accuracy.High)}]" }.Select(Markup.Escape).ToArray());
            ctx.Tables.Write(t);
            ctx.Tables.WriteLine();
        }
        if (s.Swings.Count > 0)
        {
            ctx.Out.WriteLine("factor swing (best level − worst level, points of accuracy):");
            var t = new Table().Border(TableBorder.Markdown);
            foreach (var h in new[] { "factor", "model", "swing", "95% CI", "best", "worst" }) t.AddColumn(h);
            foreach (var w in s.Swings)
                t.AddRow(new[] { w.Factor, w.Model, Pts(w.Swing.Estimate), $"[{Pts(w.Swing.Low)}, {Pts(w.Swing.High)}]", w.Best, w.Worst }.Select(Markup.Escape).ToArray());
            ctx.Tables.Write(t);
            ctx.Tables.WriteLine();
        }
        var r = s.Ranking;
        ctx.Out.WriteLine($"ranking: {string.Join(" > ", r.Ranking)}; Kendall tau across {r.RankingBySetting.Count} configurations: mean {N(r.MeanKendallTau)}, min {N(r.MinKendallTau)}");
        foreach (var p in r.Pairs)
            ctx.Out.WriteLine($"  {p.First} > {p.Second}: difference {Pts(p.Difference)} points, flips in {P(p.FlipAcrossSettings)} of configurations and {P(p.FlipAcrossBootstrap)} of task resamples");
        ctx.Out.WriteLine($"smallest resolvable difference {Pts(r.ResolvableDifference)} points; for a 95% CI of ±{Pts(r.TargetHalfWidth)} points per model: about {r.RecommendedTasks} tasks at {r.RecommendedSeeds} seed(s) per task");
    }

    private static string P(double v) => double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "–";

    private static string Pts(double v) => double.IsFinite(v) ? (100 * v).ToString("0.0", CultureInfo.InvariantCulture) : "–";

    private static string N(double v) => double.IsFinite(v) ? v.ToString("0.###", CultureInfo.InvariantCulture) : "n/a";
}
