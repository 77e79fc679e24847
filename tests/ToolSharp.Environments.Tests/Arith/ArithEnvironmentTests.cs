using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Arith;
using ToolSharp.Environments.Calculator;
using ToolSharp.Environments.Episodes;

namespace ToolSharp.Environments.Tests.Arith;

public class ArithEnvironmentTests
{
    private static readonly ArithEnvironment Env = new();

    [Fact]
    public void Tasks_are_deterministic_per_split_index_and_seed()
    {
        var again = new ArithEnvironment();
        for (var i = 0; i < 50; i++) again.GetTask("test", i).ShouldBe(Env.GetTask("test", i));
        Env.GetTask("test", 3).ShouldNotBe(Env.GetTask("train", 3));
        new ArithEnvironment(new ArithOptions { Seed = 1 }).GetTask("test", 3).Question.ShouldNotBe(Env.GetTask("test", 3).Question);
    }

    [Fact]
    public void Known_task_is_pinned()
    {
        // Pins generation: if this changes, bump ArithEnvironment.Version, since old results no longer describe the same tasks.
        var task = Env.GetTask("test", 0);
        task.Question.ShouldBe("Calculate (8647 + 624) * 67 + 835.");
        task.ExpectedAnswer.ShouldBe("621992");
        task.Difficulty.ShouldBe(3);
        task.Id.ShouldBe("test/0");
    }

    [Fact]
    public void Every_answer_is_the_value_of_its_expression_and_a_positive_whole_number()
    {
        for (var i = 0; i < 2000; i++)
        {
            var p = Env.Problem("train", i);
            var value = ExpressionEvaluator.Evaluate(p.Expression()).Exact!.Value;
            value.ShouldBe(new Rational(p.Answer, 1), p.Text);
            p.Answer.ShouldBeGreaterThan(0);
            p.Answer.ShouldBeLessThanOrEqualTo(ArithGenerator.MaxValue);
        }
    }

    [Fact]
    public void Levels_control_operations_and_operand_sizes()
    {
        foreach (var level in Enumerable.Range(1, 4))
        {
            var env = new ArithEnvironment(new ArithOptions { MinLevel = level, MaxLevel = level });
            env.Name.ShouldBe($"arith:levels={level}-{level}");
            for (var i = 0; i < 100; i++)
            {
                var p = env.Problem("train", i);
                p.Level.ShouldBe(level);
                p.Steps.Count.ShouldBe(level);
                var (min, max) = env.Options.DigitsFor(level);
                p.Start.ToString().Length.ShouldBeInRange(min, max);
                foreach (var s in p.Steps.Where(s => s.Operation is ArithOperation.Multiply or ArithOperation.Divide))
                    s.Operand.ShouldBeInRange(11, 99);
            }
        }
    }

    [Fact]
    public void Uses_every_template_and_operation()
    {
        var problems = Enumerable.Range(0, 400).Select(i => Env.Problem("train", i)).ToList();
        problems.Select(p => p.Template).Distinct().Count().ShouldBe(5);
        problems.SelectMany(p => p.Steps).Select(s => s.Operation).Distinct().Count().ShouldBe(4);
    }

    [Theory]
    [InlineData(new[] { 4821L }, "4821")]
    [InlineData(new[] { 4821L, 0, 377, 2, 12, 1, 950 }, "(4821+377)*12-950")]
    [InlineData(new[] { 10L, 2, 3, 3, 5, 0, 1 }, "10*3/5+1")]
    [InlineData(new[] { 10L, 0, 2, 0, 3, 3, 5 }, "(10+2+3)/5")]
    public void Expression_keeps_left_to_right_order_with_minimal_parentheses(long[] spec, string expected)
    {
        var steps = new List<ArithStep>();
        for (var i = 1; i < spec.Length; i += 2) steps.Add(new ArithStep((ArithOperation)spec[i], spec[i + 1]));
        new ArithProblem(spec[0], steps, "", "", 0).Expression().ShouldBe(expected);
    }

    [Fact]
    public async Task The_demonstration_solves_its_task_through_a_real_episode()
    {
        foreach (var index in Enumerable.Range(0, 30))
        {
            var task = Env.GetTask("test", index);
            var demo = Env.Demonstration(task);
            demo.Messages[0].Role.ShouldBe(ChatRole.System);
            demo.Messages[1].ShouldBe(Message.User(task.Question));
            demo.Tools.ShouldBe(Env.ToolSpecs);

            // Replaying the demonstration's calls through a fresh episode gives the same tool results and full reward.
            var episode = Env.CreateEpisode(task);
            foreach (var (call, shown) in CallsWithResults(demo))
                (await episode.ExecuteAsync(call)).Content.ShouldBe(shown);
            episode.ToolCalls.AllFailed.ShouldBeFalse();
            episode.Score(demo).ShouldBe(EpisodeScore.Binary(true, task.ExpectedAnswer, task.ExpectedAnswer, "correct, from 'Answer:'"));
        }
    }

    [Fact]
    public void Start_opens_with_the_instructions_or_a_replacement()
    {
        var episode = Env.CreateEpisode(Env.GetTask("test", 1));
        var start = episode.Start();
        start.Messages.Select(m => m.Role).ShouldBe([ChatRole.System, ChatRole.User]);
        start.Messages[0].Content.ShouldBe(ArithEnvironment.Instructions);
        start.Tools.Single().Name.ShouldBe("calculator");
        episode.Start("Be terse.").Messages[0].Content.ShouldBe("Be terse.");
        episode.Start("").Messages.Single().Role.ShouldBe(ChatRole.User);
    }

    [Fact]
    public void Splits_ids_and_sampling()
    {
        Env.TaskCount("test").ShouldBe(500);
        Env.TaskCount("train").ShouldBeNull();
        Env.FindTask("test/42").ShouldBe(Env.GetTask("test", 42));
        Env.FindTask("test/500").ShouldBeNull();
        Env.FindTask("dev/1").ShouldBeNull();
        Env.FindTask("nonsense").ShouldBeNull();
        Should.Throw<Core.Errors.ToolSharpException>(() => Env.TaskCount("dev")).Message.ShouldContain("splits: train, test");

        var a = Env.SampleTasks("test", 20, seed: 5);
        a.ShouldBe(Env.SampleTasks("test", 20, seed: 5));
        a.Select(t => t.Id).Distinct().Count().ShouldBe(20);
        a.ShouldNotBe(Env.SampleTasks("test", 20, seed: 6));
        Env.SampleTasks("train", 10, seed: 1).Select(t => t.Id).Distinct().Count().ShouldBe(10);
        Should.Throw<Core.Errors.ToolSharpException>(() => Env.SampleTasks("test", 501, 0));
        Env.Tasks("test").Count().ShouldBe(500);
    }

    internal static IEnumerable<(ToolCall Call, string Result)> CallsWithResults(Conversation demo)
    {
        var results = demo.Messages.Where(m => m.Role == ChatRole.Tool).ToDictionary(m => m.ToolCallId!, m => m.Content!);
        return demo.Messages.SelectMany(m => m.ToolCalls).Select(c => (c, results[c.Id!]));
    }
}
