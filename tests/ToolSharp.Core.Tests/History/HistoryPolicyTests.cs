using ToolSharp.Core.Errors;
using ToolSharp.Core.History;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;

namespace ToolSharp.Core.Tests.History;

public class HistoryPolicyTests
{
    private static ToolCall Call(string id) => ToolCall.FromJson("lookup", """{"q":"x"}""", id);

    /// <summary>system, user, [assistant(call c1), tool], assistant(answer), user, [assistant(call c2), tool, tool'] , assistant</summary>
    private static readonly Conversation Dialogue = new(
    [
        Message.System("sys"),
        Message.User("first question"),
        Message.Assistant(null, [Call("c1")], reasoning: "r1"),
        Message.Tool("c1", "lookup", new string('a', 50)),
        Message.Assistant("answer one", reasoning: "r2"),
        Message.User("second question"),
        Message.Assistant(null, [Call("c2"), Call("c3")], reasoning: "r3"),
        Message.Tool("c2", "lookup", "short"),
        Message.Tool("c3", "lookup", "😀😀😀😀"),
        Message.Assistant("answer two", reasoning: "r4"),
    ]);

    [Fact]
    public void Keep_is_identity() => KeepAllPolicy.Instance.Apply(Dialogue).ShouldBe(Dialogue);

    [Fact]
    public void Drop_reasoning_keeps_the_current_turn()
    {
        var result = DropEarlierReasoningPolicy.Instance.Apply(Dialogue);
        result.Messages.Select(m => m.ReasoningContent).ShouldBe([null, null, null, null, null, null, "r3", null, null, "r4"]);
        result.Messages.Select(m => m.Content).ShouldBe(Dialogue.Messages.Select(m => m.Content));
    }

    [Fact]
    public void Window_keeps_head_and_whole_units()
    {
        var result = new WindowPolicy(2).Apply(Dialogue);
        // units after the head: [a c1 + tool], [answer one], [user 2], [a c2 + 2 tools], [answer two]
        result.Messages.Select(m => m.Content ?? m.ToolCalls[0].Id).ShouldBe(["sys", "first question", "c2", "short", "😀😀😀😀", "answer two"]);
        new WindowPolicy(5).Apply(Dialogue).ShouldBe(Dialogue);
        new WindowPolicy(1).Apply(Dialogue).Messages.Count.ShouldBe(3);
    }

    [Fact]
    public void Window_never_orphans_a_tool_result()
    {
        for (var k = 1; k <= 6; k++)
        {
            var messages = new WindowPolicy(k).Apply(Dialogue).Messages;
            for (var i = 0; i < messages.Count; i++)
            {
                if (messages[i].Role == ChatRole.Tool)
                    messages[i - 1].Role.ShouldBeOneOf(ChatRole.Assistant, ChatRole.Tool);
            }
        }
    }

    [Fact]
    public void Truncate_marks_the_cut_and_respects_surrogates()
    {
        var result = new TruncateToolResultsPolicy(5).Apply(Dialogue);
        result.Messages[3].Content.ShouldBe("aaaaa…[truncated 45 chars]");
        result.Messages[7].Content.ShouldBe("short");
        result.Messages[8].Content.ShouldBe("😀😀…[truncated 4 chars]");
        result.Messages[4].Content.ShouldBe("answer one");
    }

    [Theory]
    [InlineData("keep")]
    [InlineData("drop-reasoning")]
    [InlineData("window:3")]
    [InlineData("truncate:200")]
    [InlineData("drop-reasoning+window:4+truncate:100")]
    public void Names_round_trip(string spec) => HistoryPolicies.Parse(spec).Name.ShouldBe(spec);

    [Fact]
    public void Composite_applies_in_order()
    {
        var result = HistoryPolicies.Parse("drop-reasoning+truncate:5").Apply(Dialogue);
        result.Messages[2].ReasoningContent.ShouldBeNull();
        result.Messages[3].Content.ShouldStartWith("aaaaa…");
    }

    [Theory]
    [InlineData("window", "expected a whole number after ':'")]
    [InlineData("window:0", "window size must be at least 1")]
    [InlineData("truncate:-3", "expected a whole number")]
    [InlineData("forget", "unknown history policy 'forget'")]
    [InlineData("keep:2", "unknown history policy 'keep:2'")]
    public void Bad_specs_are_named(string spec, string message) =>
        Should.Throw<ToolSharpException>(() => HistoryPolicies.Parse(spec)).Message.ShouldContain(message);

    [Fact]
    public void Policies_are_pure()
    {
        var before = Dialogue.Messages.ToList();
        foreach (var p in new[] { "drop-reasoning", "window:1", "truncate:1" }) HistoryPolicies.Parse(p).Apply(Dialogue);
        Dialogue.Messages.ShouldBe(before);
    }
}
