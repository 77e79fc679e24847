using System.Text.Json;
using ToolSharp.Environments.Bfcl;
using ToolSharp.Testing;

namespace ToolSharp.Cli.Tests;

public class BfclScoreCommandTests
{
    private const string Folder = "datasets/bfcl";

    private static string Results(string category) => string.Join("\n", BfclDataset.LoadCategory(SharedData.Path(Folder), category).Select(e =>
        JsonSerializer.Serialize(new
        {
            id = e.Id,
            calls = BfclGroundTruth.FirstAnswers(e.GroundTruth, e.Functions).Select(c => new { name = c.Name, arguments = c.Arguments }),
        })));

    private static string[] Args(string category, params string[] more)
    {
        var (questions, answers) = BfclDataset.Files(SharedData.Path(Folder), category);
        string[] args = ["bfcl", "score", "--questions", questions, "--results", "-"];
        return answers is null ? [.. args, .. more] : [.. args, "--answers", answers, .. more];
    }

    [RequiresDataTheory(Folder)]
    [InlineData("simple_python", 400)]
    [InlineData("multiple", 200)]
    [InlineData("parallel", 200)]
    [InlineData("parallel_multiple", 200)]
    [InlineData("irrelevance", 240)]
    public void Ground_truth_scores_100_percent(string category, int total)
    {
        var r = CliRunner.RunWithInput(Results(category), Args(category));
        r.ExitCode.ShouldBe(0, r.Err);
        r.Out.Trim().ShouldBe($$"""{"accuracy":1,"correct":{{total}},"total":{{total}}}""");
        r.Err.ShouldBeEmpty();
    }

    [RequiresDataFact(Folder)]
    public void Details_name_each_failed_id_with_its_error_type_and_bad_lines_are_reported()
    {
        var lines = Results("simple_python").Split('\n').ToList();
        lines[0] = """{"id": "simple_python_0", "calls": [{"name": "calculate_triangle_area", "arguments": {"base": 10}}]}""";
        lines[1] = """{"id": "simple_python_1", "calls": [{"name": "math.factorial", "arguments": {"number": 5, "precise": true}}]}""";
        lines[2] = "this is not json";
        lines[3] = """{"id": "simple_python_3", "calls": [{"name": "wrong_function", "arguments": {}}]}""";
        lines[4] = """{"id": "simple_python_4", "calls": [{"name": "solve_quadratic_equation", "arguments": {"a": 2, "b": 6, "c": 4}}]}""";
        var r = CliRunner.RunWithInput(string.Join("\n", lines), Args("simple_python", "--details"));
        r.ExitCode.ShouldBe(0, r.Err);
        var output = r.Out.Trim().Split('\n');
        output[0].ShouldBe("""{"accuracy":0.9875,"correct":395,"total":400}""");
        var failures = output.Skip(1).Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(e => e.GetProperty("id").GetString()!, e => e.GetProperty("error_type").GetString());
        failures["simple_python_0"].ShouldBe("simple_function_checker:missing_required");
        failures["simple_python_1"].ShouldBe("simple_function_checker:unexpected_param");
        failures["simple_python_3"].ShouldBe("simple_function_checker:wrong_func_name");
        failures["simple_python_4"].ShouldBe("value_error:others");
        failures["simple_python_2"].ShouldBe("result:missing"); // its line was not JSON, so its id is unknown: reported, and missing
        failures.Count.ShouldBe(5);
        r.Err.ShouldContain("<stdin>:3: not valid JSON");
    }

    [Fact]
    public void Missing_files_are_one_line_errors()
    {
        var r = CliRunner.Run("bfcl", "score", "--questions", "/nonexistent/q.json", "--results", "/nonexistent/r.jsonl");
        r.ExitCode.ShouldBe(1);
        r.Err.ShouldContain("/nonexistent/q.json: file not found");
        r.Err.ShouldNotContain("   at ");
        CliRunner.Run("bfcl", "score", "--results", "r.jsonl").ExitCode.ShouldBe(2);
    }
}
