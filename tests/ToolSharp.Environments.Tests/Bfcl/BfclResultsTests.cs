using ToolSharp.Core.Json;
using ToolSharp.Environments.Bfcl;
using ToolSharp.Testing;

namespace ToolSharp.Environments.Tests.Bfcl;

public class BfclResultsTests
{
    [Fact]
    public void Reads_calls_per_id_with_object_or_string_arguments()
    {
        var results = BfclResults.Parse("""
            {"id": "a_0", "calls": [{"name": "f", "arguments": {"x": 1}}]}
            {"id": "a_1", "calls": [{"name": "g", "arguments": "{\"y\": 2}"}, {"name": "h"}]}

            {"id": "a_2", "calls": []}
            """);
        results.Problems.ShouldBeEmpty();
        results.Calls["a_0"].Single().ToString().ShouldBe("f({\"x\":1})");
        results.Calls["a_1"].Select(c => c.ToString()).ShouldBe(["g({\"y\":2})", "h({})"]);
        results.Calls["a_2"].ShouldBeEmpty();
    }

    [Fact]
    public void Malformed_lines_are_reported_with_line_numbers_and_never_throw()
    {
        var results = BfclResults.Parse(string.Join("\n",
            "{not json",
            """{"calls": []}""",
            """{"id": "a_0", "calls": {}}""",
            """{"id": "a_1", "calls": [{"arguments": {}}]}""",
            """{"id": "a_2", "calls": []}""",
            """{"id": "a_2", "calls": [{"name": "f"}]}""",
            """[1, 2]"""));
        results.Problems.Select(p => (p.Line, p.Id)).ShouldBe([(1, null), (2, null), (3, "a_0"), (4, "a_1"), (6, "a_2"), (7, null)]);
        results.Problems[0].Message.ShouldStartWith("not valid JSON");
        results.Problems[2].Message.ShouldBe("\"calls\": expected an array of {\"name\", \"arguments\"}, found object");
        results.Problems[4].Message.ShouldBe("a second result for id 'a_2'");
        results.Calls.ShouldBeEmpty(); // a repeated id is ambiguous: neither line counts
    }

    [RequiresDataFact(BfclData.Folder)]
    public void Scoring_counts_missing_and_malformed_results_as_wrong()
    {
        var entries = BfclDataset.LoadCategory(SharedData.Path(BfclData.Folder), "simple_python").Take(4).ToList();
        var results = BfclResults.Parse(string.Join("\n",
            """{"id": "simple_python_0", "calls": [{"name": "calculate_triangle_area", "arguments": {"base": 10, "height": 5}}]}""",
            """{"id": "simple_python_1", "calls": [{"name": "math.factorial", "arguments": "{broken"}]}""",
            """{"id": "simple_python_2", "calls": 5}""",
            """{"id": "not_a_question_9", "calls": []}"""));
        var report = BfclScorer.Score(entries, results);
        (report.Correct, report.Total, report.Accuracy).ShouldBe((1, 4, 0.25));
        report.Failures.Select(f => (f.Id, f.ErrorType)).ShouldBe(
        [
            ("simple_python_1", "ast_decoder:decoder_wrong_output_format"),
            ("simple_python_2", "ast_decoder:decoder_failed"),
            ("simple_python_3", "result:missing"),
        ]);
        report.Failures[1].Errors.Single().ShouldStartWith("results line 3: ");
        report.Problems.Last().Message.ShouldBe("id 'not_a_question_9' is not among the questions; ignored");
    }

    [Fact]
    public void Category_is_the_id_without_its_index()
    {
        BfclDataset.CategoryOf("simple_python_12").ShouldBe("simple_python");
        BfclDataset.CategoryOf("parallel_multiple_0").ShouldBe("parallel_multiple");
        BfclDataset.CategoryOf("live_simple_19-3-15").ShouldBe("live_simple");
    }

    [Fact]
    public void Questions_without_ground_truth_are_a_clear_error()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("q.json"), """{"id": "simple_python_0", "question": [[{"role": "user", "content": "hi"}]], "function": []}""" + "\n");
        File.WriteAllText(dir.File("a.json"), "\n");
        Should.Throw<Core.Errors.InputFormatException>(() => BfclDataset.Load(dir.File("q.json"), dir.File("a.json")))
            .Message.ShouldContain("a ground truth for question 'simple_python_0'");
        File.WriteAllText(dir.File("bad.json"), """{"id": "x_0", "question": "hi", "function": []}""" + "\n");
        Should.Throw<Core.Errors.InputFormatException>(() => BfclDataset.Load(dir.File("bad.json"), null))
            .Message.ShouldBe($"{dir.File("bad.json")}:1: question: expected a list of turns (lists of messages), found string");
    }
}
