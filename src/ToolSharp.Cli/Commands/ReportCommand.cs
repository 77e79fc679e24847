using System.CommandLine;
using System.Text.Json;
using ToolSharp.Core.Json;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Evaluation.Reports;
using ToolSharp.Evaluation.Store;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp report</c>: statistics of a results database as a terminal table, a JSON summary and an HTML report with plots.</summary>
public static class ReportCommand
{
    public static Command Create(CliContext ctx)
    {
        var input = new Argument<string>("results") { Description = "Results database, or the directory 'sweep --out DIR' wrote." };
        var html = new Option<string?>("--html") { Description = "Write the self-contained HTML report here (default for a directory: DIR/report.html)." };
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object instead of the table." };
        var export = new Option<string?>("--export") { Description = "Also write every episode to FILE (.jsonl with steps and transcripts, or .csv)." };
        var exportBfcl = new Option<string?>("--export-bfcl") { Description = "Also write the BFCL episodes as BFCL result files under DIR (one folder per model, setting, seed and trial; index.json lists them)." };
        var seed = new Option<ulong>("--seed") { Description = "Bootstrap seed.", DefaultValueFactory = _ => 1 };
        var resamples = new Option<int>("--resamples") { Description = "Bootstrap resamples.", DefaultValueFactory = _ => 1000 };
        var decode = new Option<double>("--decode-weight") { Description = "PTE weight of one generated token in prefill tokens.", DefaultValueFactory = _ => Evaluation.Agent.Efficiency.DefaultDecodeWeight };
        var command = new Command("report", Help.WithExamples(
            "Summarise a results database: accuracy with 95% bootstrap CIs per model × configuration, pass@k / pass^k, efficiency (PTE, tokens, " +
            "latency), per-factor effects, variance shares, Kendall tau and rank-flip probabilities. For a directory it writes DIR/report.html and DIR/summary.json.",
            "toolsharp report runs/arith",
            "toolsharp report results.db --html report.html",
            "toolsharp report results.db --json",
            "toolsharp report results.db --export episodes.jsonl",
            "toolsharp report runs/bfcl --export-bfcl bfcl-results"))
        {
            input, html, json, export, exportBfcl, seed, resamples, decode,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(input)!;
            var directory = Directory.Exists(path) ? path : null;
            var database = directory is null ? path : Path.Combine(directory, "results.db");
            using var store = ResultsStore.Open(database, mustExist: true);
            var summary = SweepReport.Build(store, database, new SummaryOptions
            {
                Seed = parse.GetValue(seed),
                Resamples = parse.GetValue(resamples),
                DecodeWeight = parse.GetValue(decode),
            });
            SweepReport.Write(ctx, store, summary, parse.GetValue(html) ?? (directory is null ? null : Path.Combine(directory, "report.html")), directory);
            if (parse.GetValue(export) is { } exportPath)
            {
                using var writer = new StreamWriter(exportPath);
                if (exportPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) store.ExportCsv(writer); else store.ExportJsonl(writer);
                ctx.Err.WriteLine($"wrote {exportPath}");
            }
            if (parse.GetValue(exportBfcl) is { } bfclDir)
            {
                var runs = BfclResultExport.Write(bfclDir, store.EpisodesWithTranscripts());
                if (runs.Count == 0) throw new Core.Errors.ToolSharpException($"{database}: no BFCL episodes to export");
                File.WriteAllText(Path.Combine(bfclDir, "index.json"), JsonSerializer.Serialize(runs, JsonValues.IndentedOptions));
                ctx.Err.WriteLine($"wrote {runs.Count} BFCL runs to {bfclDir} (index.json lists them)");
            }
            if (parse.GetValue(json)) ctx.Out.WriteLine(summary.ToJson());
            else SummaryTable.Write(ctx, summary);
            return ExitCodes.Ok;
        });
        return command;
    }
}
