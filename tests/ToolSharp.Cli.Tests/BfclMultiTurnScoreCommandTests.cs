using System.Text.Json;
using ToolSharp.Environments.Bfcl;
using ToolSharp.Environments.Bfcl.MultiTurn;
using ToolSharp.Testing;

namespace ToolSharp.Cli.Tests;

/// <summary><c>toolsharp bfcl score</c> on BFCL's multi-turn files: the ground truth as results, both call shapes,
/// several categories at once, and bad lines scored as BFCL scores them.</summary>
public class BfclMultiTurnScoreCommandTests
{
    private const string Folder = "datasets/bfcl";

    private static IReadOnlyList<BfclMultiTurnEntry> Entries(string category) => BfclMultiTurnDataset.LoadCategory(SharedData.Path(Folder), category);

    private static string TruthLine(BfclMultiTurnEntry e) =>
        JsonSerializer.Serialize(new { id = e.Id, result = e.GroundTruth.Select(t => t.Count == 0 ? new List<IReadOnlyList<string>>() : [t]) });

    private static string[] Args(params string[] categories) =>
    [
        "bfcl", "score", "--results", "-",
        .. categories.SelectMany(c => new[] { "-q", BfclDataset.Files(SharedData.Path(Folder), c).Questions, "-a", BfclDataset.Files(SharedData.Path(Folder), c).Answers! }),
    ];

    [RequiresDataFact(Folder, "reference/bfcl")]
    public void Ground_truth_of_all_four_categories_scores_100_percent_with_the_bfcl_overall()
    {
        var input = string.Join("\n", BfclMultiTurnDataset.Categories.SelectMany(Entries).Select(TruthLine));
        var r = CliRunner.RunWithInput(input, Args([.. BfclMultiTurnDataset.Categories]));
        r.ExitCode.ShouldBe(0, r.Err);
        var summary = JsonDocument.Parse(r.Out.Trim().Split('\n')[0]).RootElement;
        summary.GetProperty("accuracy").GetDouble().ShouldBe(1);
        summary.GetProperty("total").GetInt32().ShouldBe(800);
        summary.GetProperty("categories").EnumerateObject().Select(c => c.Name).ShouldBe(BfclMultiTurnDataset.Categories);
        summary.GetProperty("multi_turn_overall").GetDouble().ShouldBe(1);
        r.Err.ShouldBeEmpty();
    }

    [RequiresDataFact(Folder)]
    public void Name_and_arguments_calls_score_like_call_strings()
    {
        // multi_turn_base_0 as {name, arguments} objects (arguments also as a JSON string, OpenAI style).
        var entry = Entries("multi_turn_base")[0];
        var turns = entry.GroundTruth.Select(t => t.Count == 0 ? new List<List<object>>() : [t.Select(ToObject).ToList()]);
        var line = JsonSerializer.Serialize(new { id = entry.Id, result = turns });
        line.ShouldContain("\"arguments\":\"{");
        var r = CliRunner.RunWithInput(line, [.. Args("multi_turn_base"), "--details"]);
        r.ExitCode.ShouldBe(0, r.Err);
        r.Out.Split('\n')[0].ShouldStartWith("""{"accuracy":0.005,"correct":1,"total":200""");
    }

    // "mv(source='a', destination='b')" → {"name": "mv", "arguments": {…}} or, every second call, arguments as a JSON
    // string; calls with positional arguments stay strings (the object form has only named arguments).
    private static object ToObject(string call, int index)
    {
        var parsed = Core.Formats.ToolCallFormats.Pythonic.Parse("[" + call + "]");
        if (parsed.Errors.Count > 0) return call;
        var c = parsed.Calls.Single();
        return index % 2 == 0 ? new { name = c.Name, arguments = (object)c.Arguments } : new { name = c.Name, arguments = (object)Core.Json.JsonValues.ToCompact(c.Arguments) };
    }

    [RequiresDataFact(Folder)]
    public void Bad_lines_are_scored_as_bfcl_scores_them_and_reported_with_their_line()
    {
        var entries = Entries("multi_turn_base");
        var lines = entries.Select(TruthLine).ToList();
        lines[0] = """{"id": "multi_turn_base_0", "result": "not a list"}""";
        lines[1] = """{"id": "multi_turn_base_1", "result": [[["ls()"]]]}""";
        lines[2] = "{ not json";
        lines[3] = $$"""{"id": "multi_turn_base_3", "result": [{{string.Join(", ", entries[3].GroundTruth.Select(t => "[[\"cd(folder='unterminated\"]]"))}}]}""";
        lines[4] = """{"id": "someone_else_7", "result": []}""";
        lines.Add(TruthLine(entries[5]));
        var r = CliRunner.RunWithInput(string.Join("\n", lines), [.. Args("multi_turn_base"), "--details"]);
        r.ExitCode.ShouldBe(0, r.Err);
        var output = r.Out.Trim().Split('\n');
        output[0].ShouldStartWith("""{"accuracy":0.97,"correct":194,"total":200""");
        var failures = output.Skip(1).Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(e => e.GetProperty("id").GetString()!);
        failures["multi_turn_base_0"].GetProperty("error_type").GetString().ShouldBe("multi_turn:inference_error");
        failures["multi_turn_base_1"].GetProperty("error_type").GetString().ShouldBe("multi_turn:force_terminated");
        failures["multi_turn_base_2"].GetProperty("error_type").GetString().ShouldBe("result:missing");
        // Undecodable steps are dropped, so the first turn has no model response.
        failures["multi_turn_base_3"].GetProperty("error_type").GetString().ShouldBe("multi_turn:empty_turn_model_response");
        failures["multi_turn_base_3"].GetProperty("turn").GetInt32().ShouldBe(0);
        failures["multi_turn_base_4"].GetProperty("error_type").GetString().ShouldBe("result:missing");
        failures["multi_turn_base_5"].GetProperty("error_type").GetString().ShouldBe("multi_turn:inference_error"); // two lines for one id
        failures.Count.ShouldBe(6);
        r.Err.ShouldContain("<stdin>:1: \"result\": expected a list of turns");
        r.Err.ShouldContain("<stdin>:3: not valid JSON");
        r.Err.ShouldContain("<stdin>:5: id 'someone_else_7' is not among the questions");
        r.Err.ShouldContain("a second result for id 'multi_turn_base_5'");
    }

    [RequiresDataFact(Folder)]
    public void A_state_mismatch_names_the_failing_turn()
    {
        var entry = Entries("multi_turn_base")[0];
        var turns = entry.GroundTruth.Select((t, i) => i == 1 ? [t.Take(t.Count - 1).ToList()] : t.Count == 0 ? new List<List<string>>() : [t.ToList()]);
        var r = CliRunner.RunWithInput(JsonSerializer.Serialize(new { id = entry.Id, result = turns }), [.. Args("multi_turn_base"), "--details"]);
        var failure = JsonDocument.Parse(r.Out.Trim().Split('\n')[1]).RootElement;
        failure.GetProperty("id").GetString().ShouldBe(entry.Id);
        failure.GetProperty("turn").GetInt32().ShouldBe(1);
        failure.GetProperty("error_type").GetString()!.ShouldStartWith("multi_turn:");
    }

    [RequiresDataFact(Folder)]
    public void A_malformed_question_file_is_one_error_naming_file_and_line()
    {
        using var folder = new TempDirectory();
        var (questions, answers) = BfclDataset.Files(SharedData.Path(Folder), "multi_turn_base");
        var broken = Path.Combine(folder.Path, "q.json");
        var lines = File.ReadAllLines(questions);
        lines[2] = lines[2].Replace("\"involved_classes\": [", "\"involved_classes\": [42, ", StringComparison.Ordinal);
        File.WriteAllLines(broken, lines);
        var r = CliRunner.RunWithInput("", "bfcl", "score", "-q", broken, "-a", answers!, "-r", "-");
        r.ExitCode.ShouldBe(1);
        r.Err.ShouldContain($"{broken}:3");
        r.Err.ShouldContain("involved_classes");
        r.Err.ShouldNotContain("   at ");
    }
}
