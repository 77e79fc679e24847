using System.Globalization;
using Spectre.Console;
using ToolSharp.Evaluation.Reports;

namespace ToolSharp.Cli.Infrastructure;

/// <summary>The terminal summary of a sweep: one Spectre table row per model × configuration, then the ranking line.</summary>
public static class SummaryTable
{
    public static void Write(CliContext ctx, SweepSummary s)
    {
        var table = new Table().Border(TableBorder.Markdown);
        table.AddColumn("model");
        table.AddColumn("environment");
        var varied = s.FactorNames.Where(f => s.Configurations.Select(c => c.Factors.GetValueOrDefault(f, "")).Distinct().Count() > 1).ToList();
        foreach (var f in varied) table.AddColumn(f);
        foreach (var h in new[] { "episodes", "accuracy", "95% CI", "tool calls", "PTE" }) table.AddColumn(new TableColumn(h).RightAligned());
        foreach (var c in s.Configurations)
        {
            var cells = new List<string> { c.Model, c.Environment };
            cells.AddRange(varied.Select(f => c.Factors.GetValueOrDefault(f, "")));
            cells.Add(c.Episodes.ToString(CultureInfo.InvariantCulture));
            cells.Add(P(c.Accuracy.Estimate));
            cells.Add($"[{P(c.Accuracy.Low)}, {P(c.Accuracy.High)}]");
            cells.Add(c.ToolCalls.ToString("0.##", CultureInfo.InvariantCulture));
            cells.Add(c.Pte.ToString("0", CultureInfo.InvariantCulture));
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }
        ctx.Tables.Write(table);
        ctx.Tables.WriteLine();
        WriteBfcl(ctx, s);
        var r = s.Ranking;
        var tau = double.IsFinite(r.MeanKendallTau) ? r.MeanKendallTau.ToString("0.###", CultureInfo.InvariantCulture) : "n/a";
        ctx.Out.WriteLine($"ranking: {string.Join(" > ", r.Ranking)} (mean Kendall tau across configurations {tau}; resolvable difference {P(r.ResolvableDifference)})");
    }

    /// <summary>The leaderboard view when BFCL splits ran: a row per model, a column per category and multi-turn overall.</summary>
    private static void WriteBfcl(CliContext ctx, SweepSummary s)
    {
        var rows = s.Models.Select(m => (m.Model, Columns: BfclColumns.Of(m))).Where(r => r.Columns.Count > 0).ToList();
        if (rows.Count == 0) return;
        var columns = rows.SelectMany(r => r.Columns.Select(c => c.Column)).Distinct().ToList();
        var table = new Table().Border(TableBorder.Markdown).AddColumn("BFCL");
        foreach (var c in columns) table.AddColumn(new TableColumn(Markup.Escape(BfclColumns.Header(c, s.Models))).RightAligned());
        foreach (var (model, values) in rows)
            table.AddRow([Markup.Escape(model), .. columns.Select(c => values.Where(v => v.Column == c).Select(v => P(v.Accuracy)).DefaultIfEmpty("–").First())]);
        ctx.Tables.Write(table);
        ctx.Tables.WriteLine();
    }

    private static string P(double v) => double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "–";
}
