using System.CommandLine;
using System.Globalization;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Core.Json;
using ToolSharp.Environments.Bfcl;
using ToolSharp.Environments.Bfcl.Backends;
using ToolSharp.Environments.Bfcl.MultiTurn;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp bfcl score</c>: accuracy of a results file against BFCL questions and possible answers,
/// single-turn (AST checker) or multi-turn (backends and state/response checker), told apart by the questions file.</summary>
public static class BfclScoreCommand
{
    public static Command Create(CliContext ctx)
    {
        var questions = new Option<FileInfo[]>("--questions", "-q")
        {
            Description = "BFCL questions file (JSON lines). Multi-turn: repeat with --answers for several categories.",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var answers = new Option<FileInfo[]>("--answers", "-a") { Description = "BFCL possible-answer file(s), in the order of --questions; not needed for irrelevance." };
        var results = new Option<string>("--results", "-r")
        {
            Description = "Model results ('-' for stdin). Single-turn: {\"id\", \"calls\": [{\"name\", \"arguments\"}]} per line. Multi-turn: " +
                          "{\"id\", \"result\": [turn][step][call]} per line, each call a Python call string or {\"name\", \"arguments\"}.",
            Required = true,
        };
        var details = new Option<bool>("--details") { Description = "After the summary, print one JSON line per failed id with its BFCL error type (and, multi-turn, the failing turn)." };
        var underscore = new Option<bool>("--underscore-to-dot") { Description = "Single-turn: the model was offered names with '.' replaced by '_' (BFCL's underscore_to_dot)." };
        var category = new Option<string?>("--category") { Description = "Single-turn: category for every question (default: from each id, e.g. simple_python_3 → simple_python)." };
        var modelName = new Option<string>("--model-name") { Description = "Multi-turn: BFCL's model name, part of the instance names BFCL writes into calls.", DefaultValueFactory = _ => BfclMultiTurnOptions.Default.ModelName };
        var travelToday = new Option<string?>("--travel-today") { Description = "Multi-turn: the date (YYYY-MM-DD) TravelAPI's age check uses (default: today, as BFCL)." };
        var logarithm = new Option<string>("--logarithm") { Description = "Multi-turn: MathAPI.logarithm as a BFCL install computes it ('mpmath', default) or as BFCL's stdlib-only replay does ('math-log').", DefaultValueFactory = _ => "mpmath" };
        var longContext = new Option<string?>("--long-context-file") { Description = "Multi-turn: BFCL's long_context.py (default: reference/bfcl/… in the shared data folder)." };
        var command = new Command("score", Help.WithExamples(
            "Score model results with BFCL's checkers. Prints {\"accuracy\", \"correct\", \"total\"} first (multi-turn: also each category and " +
            "\"multi_turn_overall\", the mean of the categories). Malformed result lines are reported on stderr with their line number; " +
            "questions without a result count as wrong.",
            "toolsharp bfcl score -q ../shared/datasets/bfcl/BFCL_v4_simple_python.json -a ../shared/datasets/bfcl/possible_answer/BFCL_v4_simple_python.json -r results.jsonl",
            "toolsharp bfcl score -q BFCL_v4_multi_turn_base.json -a possible_answer/BFCL_v4_multi_turn_base.json -r multi_turn_results.jsonl --details",
            "toolsharp bfcl score -q BFCL_v4_multi_turn_base.json -a possible_answer/BFCL_v4_multi_turn_base.json -q BFCL_v4_multi_turn_miss_func.json -a possible_answer/BFCL_v4_multi_turn_miss_func.json -r all.jsonl",
            "toolsharp bfcl score -q BFCL_v4_irrelevance.json -r results.jsonl"))
        {
            questions, answers, results, details, underscore, category, modelName, travelToday, logarithm, longContext,
        };
        command.SetAction(parse =>
        {
            var questionFiles = parse.GetValue(questions)!;
            var answerFiles = parse.GetValue(answers) ?? [];
            var resultsPath = parse.GetValue(results)!;
            if (BfclMultiTurnDataset.IsMultiTurnFile(questionFiles[0].FullName))
            {
                if (answerFiles.Length != questionFiles.Length)
                    throw new UsageException($"multi-turn scoring needs one --answers file per --questions file (got {questionFiles.Length} and {answerFiles.Length})");
                var options = new BfclMultiTurnOptions
                {
                    ModelName = parse.GetValue(modelName)!,
                    TravelToday = ParseDate(parse.GetValue(travelToday)),
                    Logarithm = parse.GetValue(logarithm) switch
                    {
                        "mpmath" => BfclLogarithm.Mpmath,
                        "math-log" => BfclLogarithm.MathLog,
                        var other => throw new UsageException($"--logarithm: expected 'mpmath' or 'math-log', found '{other}'"),
                    },
                    LongContextFile = parse.GetValue(longContext),
                };
                var entries = questionFiles.Zip(answerFiles).SelectMany(p => BfclMultiTurnDataset.Load(p.First.FullName, p.Second.FullName)).ToList();
                var report = BfclMultiTurnScorer.Score(entries, BfclMultiTurnResults.Parse(Input.ReadAllText(ctx, resultsPath)), options);
                WriteMultiTurn(ctx, report, resultsPath, parse.GetValue(details));
                return ExitCodes.Ok;
            }
            if (questionFiles.Length > 1 || answerFiles.Length > 1) throw new UsageException("single-turn scoring takes one --questions file (and at most one --answers file)");
            var singleTurn = BfclDataset.Load(questionFiles[0].FullName, answerFiles.FirstOrDefault()?.FullName, parse.GetValue(category));
            var parsed = BfclResults.Parse(Input.ReadAllText(ctx, resultsPath));
            var singleReport = BfclScorer.Score(singleTurn, parsed, new BfclCheckerOptions(parse.GetValue(underscore)));
            foreach (var problem in singleReport.Problems) ctx.Err.WriteLine(Located(resultsPath, problem.Line, problem.Message));
            ctx.Out.WriteLine(Json(w => Summary(w, singleReport.Accuracy, singleReport.Correct, singleReport.Total)));
            if (parse.GetValue(details))
            {
                foreach (var failure in singleReport.Failures)
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

    private static void WriteMultiTurn(CliContext ctx, BfclMultiTurnScoreReport report, string resultsPath, bool details)
    {
        foreach (var problem in report.Problems) ctx.Err.WriteLine(Located(resultsPath, problem.Line, problem.Message));
        ctx.Out.WriteLine(Json(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("accuracy", Math.Round(report.Accuracy, 6));
            w.WriteNumber("correct", report.Correct);
            w.WriteNumber("total", report.Total);
            w.WritePropertyName("categories");
            w.WriteStartObject();
            foreach (var c in report.Categories)
            {
                w.WritePropertyName(c.Name);
                Summary(w, c.Accuracy, c.Correct, c.Total);
            }
            w.WriteEndObject();
            w.WriteNumber("multi_turn_overall", Math.Round(report.Overall, 6));
            w.WriteEndObject();
        }));
        if (!details) return;
        foreach (var failure in report.Failures)
        {
            ctx.Out.WriteLine(Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("id", failure.Id);
                w.WriteString("error_type", failure.ErrorType);
                if (failure.Turn is { } turn) w.WriteNumber("turn", turn);
                else w.WriteNull("turn");
                w.WriteString("error", failure.Message);
                w.WriteEndObject();
            }));
        }
    }

    private static void Summary(System.Text.Json.Utf8JsonWriter w, double accuracy, int correct, int total)
    {
        w.WriteStartObject();
        w.WriteNumber("accuracy", Math.Round(accuracy, 6));
        w.WriteNumber("correct", correct);
        w.WriteNumber("total", total);
        w.WriteEndObject();
    }

    private static DateOnly? ParseDate(string? text) =>
        text is null ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
        : throw new UsageException($"--travel-today: expected a date YYYY-MM-DD, found '{text}'");

    private static string Located(string path, int line, string message) => line > 0 ? $"{Input.Label(path)}:{line}: {message}" : $"{Input.Label(path)}: {message}";

    private static string Json(Action<System.Text.Json.Utf8JsonWriter> write) => JsonValues.ToCompact(JsonValues.Build(write));
}
