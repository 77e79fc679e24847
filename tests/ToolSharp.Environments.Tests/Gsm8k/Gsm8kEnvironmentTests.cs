using ToolSharp.Core.Errors;
using ToolSharp.Core.Messages;
using ToolSharp.Environments.Calculator;
using ToolSharp.Environments.Episodes;
using ToolSharp.Environments.Gsm8k;
using ToolSharp.Environments.Tests.Arith;
using ToolSharp.Testing;

namespace ToolSharp.Environments.Tests.Gsm8k;

public class Gsm8kEnvironmentTests
{
    private const string Data = "datasets/gsm8k";

    [RequiresDataFact(Data)]
    public void Splits_hold_the_published_counts()
    {
        var env = new Gsm8kEnvironment();
        env.TaskCount("train").ShouldBe(7473);
        env.TaskCount("test").ShouldBe(1319);
        var task = env.GetTask("train", 0);
        task.Question.ShouldStartWith("Natalia sold clips to 48 of her friends in April");
        task.ExpectedAnswer.ShouldBe("72");
        task.Difficulty.ShouldBe(2); // two annotated computations
        env.FindTask("train/0").ShouldBe(task);
    }

    [RequiresDataFact(Data)]
    public async Task Annotations_become_calculator_calls_in_the_demonstration()
    {
        var env = new Gsm8kEnvironment();
        var task = env.GetTask("train", 0);
        var demo = env.Demonstration(task);
        var calls = demo.Messages.SelectMany(m => m.ToolCalls).Select(c => c.Arguments.GetProperty("expression").GetString()).ToList();
        calls.ShouldBe(["48/2", "48+24"]);
        demo.Messages.Where(m => m.Role == ChatRole.Tool).Select(m => m.Content).ShouldBe(["24", "72"]);
        var final = demo.Messages[^1].Content!;
        final.ShouldStartWith("Natalia sold 48/2 = 24 clips in May.");
        final.ShouldEndWith("#### 72");
        final.ShouldNotContain("<<");

        var episode = env.CreateEpisode(task);
        foreach (var (call, shown) in ArithEnvironmentTests.CallsWithResults(demo))
            (await episode.ExecuteAsync(call)).Content.ShouldBe(shown);
        episode.Score(demo).Correct.ShouldBeTrue();
    }

    [RequiresDataFact(Data)]
    public void Every_test_demonstration_scores_full_marks_and_every_annotation_evaluates()
    {
        var env = new Gsm8kEnvironment();
        int tasks = 0, annotations = 0;
        foreach (var task in env.Tasks("test"))
        {
            tasks++;
            foreach (var a in env.Problems("test")[task.Index].Annotations())
            {
                annotations++;
                ExpressionEvaluator.TryEvaluate(a.Expression, out _, out var error).ShouldBeTrue($"{task.Id}: {a.Expression}: {error}");
            }
            var score = env.CreateEpisode(task).Score(env.Demonstration(task));
            score.Correct.ShouldBeTrue($"{task.Id}: {score}");
        }
        tasks.ShouldBe(env.TaskCount("test")!.Value);
        annotations.ShouldBeGreaterThan(tasks, "GSM8K solutions annotate more than one calculation per problem on average");
    }

    [Fact]
    public void Malformed_lines_name_the_file_and_line()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("test.jsonl"),
        [
            """{"question": "q", "answer": "a <<1+1=2>>2\n#### 2"}""",
            """{"question": "q", "answer": "no final marker"}""",
        ]);
        File.WriteAllText(dir.File("train.jsonl"), "{\"question\": 5}\n");
        var env = new Gsm8kEnvironment(dir.Path);
        Should.Throw<InputFormatException>(() => env.TaskCount("test")).Message
            .ShouldBe($"{dir.File("test.jsonl")}:2: answer: expected a solution ending in '#### <number>', found no '####'");
        Should.Throw<InputFormatException>(() => env.TaskCount("train")).Message
            .ShouldBe($"{dir.File("train.jsonl")}:1: question: expected a string, found integer");
    }

    [Fact]
    public void Missing_data_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        Should.Throw<ToolSharpException>(() => new Gsm8kEnvironment(dir.Path).TaskCount("test")).Message.ShouldContain("file not found");
    }
}
