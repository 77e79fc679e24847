using System.CommandLine;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Core.Json;
using ToolSharp.Environments.Bfcl;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp bfcl score</c>: accuracy of a results file against BFCL questions and possible answers.</summary>
public static class BfclScoreCommand
{
    public static Command Create(CliContext ctx)
    {
        var questions = new Option<FileInfo>("--questions", "-q") { Description = "BFCL questions file (JSON lines with id, question, function).", Required = true };
        var answers = new Option<FileInfo?>("--answers", "-a") { Description = "BFCL possible-answer file (JSON lines with id, ground_truth); not needed for irrelevance." };
        var results = new Option<string>("--results", "-r") { Description = "Model results: one {\"id\", \"calls\": [{\"name\", \"arguments\"}]} per line ('-' for stdin).", Required = true };
        var details = new Option<bool>("--details") { Description = "After the summary, print one JSON line per failed id with its BFCL error type and messages." };
        var underscore = new Option<bool>("--underscore-to-dot") { Description = "The model was offered names with '.' replaced by '_' (BFCL's underscore_to_dot)." };
        var category = new Option<string?>("--category") { Description = "Category for every question (default: from each id, e.g. simple_python_3 → simple_python)." };
        var command = new Command("score", Help.WithExamples(
            "Score model calls with BFCL's AST checker. Prints {\"accuracy\", \"correct\", \"total\"}. Malformed result lines are reported " +
            "on stderr with their line number and count as wrong; questions without a result count as wrong.",
            "toolsharp bfcl score -q ../shared/datasets/bfcl/BFCL_v4_simple_python.json -a ../shared/datasets/bfcl/possible_answer/BFCL_v4_simple_python.json -r results.jsonl",
            "toolsharp bfcl score -q BFCL_v4_parallel.json -a possible_answer/BFCL_v4_parallel.json -r results.jsonl --details",
            "toolsharp bfcl score -q BFCL_v4_irrelevance.json -r results.jsonl"))
        {
            questions, answers, results, details, underscore, category,
        };
        command.SetAction(parse =>
        {
            var entries = BfclDataset.Load(parse.GetValue(questions)!.FullName, parse.GetValue(answers)?.FullName, parse.GetValue(category));
            var resultsPath = parse.GetValue(results)!;
            var parsed = BfclResults.Parse(Input.ReadAllText(ctx, resultsPath));
            var report = BfclScorer.Score(entries, parsed, new BfclCheckerOptions(parse.GetValue(underscore)));

            foreach (var problem in report.Problems)
                ctx.Err.WriteLine(problem.Line > 0 ? $"{Input.Label(resultsPath)}:{problem.Line}: {problem.Message}" : $"{Input.Label(resultsPath)}: {problem.Message}");

            ctx.Out.WriteLine(Json(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("accuracy", Math.Round(report.Accuracy, 6));
                w.WriteNumber("correct", report.Correct);
                w.WriteNumber("total", report.Total);
                w.WriteEndObject();
            }));
            if (parse.GetValue(details))
            {
                foreach (var failure in report.Failures)
                {
                    ctx.Out.WriteLine(Json(w =>
                    {
                        w.WriteStartObject();
                        w.WriteString("id", failure.Id);
                        w.WriteString("error_type", failure.ErrorType);
                        w.WriteString("error", string.Join(" ", failure.Errors));
                        w.WriteEndObject();
                    }));
                }
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Json(Action<System.Text.Json.Utf8JsonWriter> write) => JsonValues.ToCompact(JsonValues.Build(write));
}
