using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Arith;

namespace ToolSharp.Environments.Tests.Arith;

public class ArithMemoryEnvironmentTests
{
    private static readonly ArithMemoryEnvironment Env = new();

    [Fact]
    public void Tasks_are_multi_turn_and_deterministic()
    {
        var task = Env.GetTask("test", 0);
        task.ShouldBe(new ArithMemoryEnvironment().GetTask("test", 0));
        task.UserTurns.Count.ShouldBeInRange(2, 3);
        task.UserTurns[0].ShouldStartWith("Compute ");
        task.UserTurns[^1].ShouldEndWith($"Then tell me the value of {(task.UserTurns.Count == 2 ? "y" : "z")}.");
        Enumerable.Range(0, 100).Select(i => Env.GetTask("train", i).UserTurns.Count).Distinct().Order().ShouldBe([2, 3]);
    }

    [Fact]
    public async Task State_persists_across_turns_and_is_scored_at_the_end()
    {
        foreach (var index in Enumerable.Range(0, 20))
        {
            var task = Env.GetTask("test", index);
            var demo = Env.Demonstration(task);
            demo.Messages.Count(m => m.Role == ChatRole.User).ShouldBe(task.UserTurns.Count);
            var episode = Env.CreateEpisode(task);
            foreach (var (call, shown) in ArithEnvironmentTests.CallsWithResults(demo))
                (await episode.ExecuteAsync(call)).Content.ShouldBe(shown);
            var score = episode.Score(demo);
            score.Correct.ShouldBeTrue(score.Details);
            score.Reward.ShouldBe(1.0);
            episode.StateSnapshot()!.Value.EnumerateObject().Count().ShouldBe(task.UserTurns.Count);
        }
    }

    [Fact]
    public async Task Partial_state_earns_partial_reward()
    {
        var task = Enumerable.Range(0, 50).Select(i => Env.GetTask("test", i)).First(t => t.UserTurns.Count == 2);
        var episode = Env.CreateEpisode(task);
        var x = task.Data.GetProperty("x").GetRawText();
        await episode.ExecuteAsync(ToolCall.FromJson("save", $$"""{"name":"x","value":{{x}}}"""));
        await episode.ExecuteAsync(ToolCall.FromJson("save", """{"name":"y","value":1}"""));
        var score = episode.Score(new Conversation([]));
        score.Reward.ShouldBe(0.5);
        score.Correct.ShouldBeFalse();
        score.Details.ShouldStartWith("y = 1, expected ");
        score.Got.ShouldBe($$"""{"x":{{x}},"y":1}""");
    }

    [Fact]
    public async Task Calculator_reads_saved_names_and_recall_reports_missing_ones()
    {
        var episode = Env.CreateEpisode(Env.GetTask("test", 0));
        (await episode.ExecuteAsync(ToolCall.FromJson("save", """{"name":"x","value":2.5}"""))).Content.ShouldBe("saved x = 2.5");
        (await episode.ExecuteAsync(ToolCall.FromJson("calculator", """{"expression":"x*4"}"""))).Content.ShouldBe("10");
        (await episode.ExecuteAsync(ToolCall.FromJson("recall", """{"name":"x"}"""))).Content.ShouldBe("2.5");
        (await episode.ExecuteAsync(ToolCall.FromJson("recall", """{"name":"q"}"""))).Content.ShouldBe("Error: nothing saved under 'q' (saved: x)");
        (await episode.ExecuteAsync(ToolCall.FromJson("save", """{"name":"1bad","value":1}"""))).Error!.Kind.ShouldBe(ToolCallErrorKind.ConstraintViolation);
    }

    [Fact]
    public async Task Episodes_do_not_share_state()
    {
        var task = Env.GetTask("test", 0);
        var a = Env.CreateEpisode(task);
        var b = Env.CreateEpisode(task);
        await a.ExecuteAsync(ToolCall.FromJson("save", """{"name":"x","value":1}"""));
        JsonValues.ToCompact(b.StateSnapshot()!.Value).ShouldBe("{}");
    }
}
