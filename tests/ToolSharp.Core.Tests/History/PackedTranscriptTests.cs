using ToolSharp.Core.Formats;
using ToolSharp.Core.History;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;

namespace ToolSharp.Core.Tests.History;

public class PackedTranscriptTests
{
    [Fact]
    public void Single_turn_is_unchanged()
    {
        var c = new Conversation([Message.System("s"), Message.User("q")]);
        PackedTranscript.Pack(c).ShouldBe(c);
    }

    [Fact]
    public void Multi_turn_becomes_one_user_message()
    {
        var call = ToolCall.FromJson("lookup", """{"q":"x"}""", "c1");
        var c = new Conversation([
            Message.System("s"),
            Message.User("q1"),
            Message.Assistant("Checking.", [call], reasoning: "think"),
            Message.Tool("c1", "lookup", "result"),
            Message.Assistant("done"),
            Message.User("q2"),
        ]);
        var packed = PackedTranscript.Pack(c, ToolCallFormats.Hermes);
        packed.Messages.Count.ShouldBe(2);
        packed.Messages[0].ShouldBe(Message.System("s"));
        packed.Messages[1].Role.ShouldBe(ChatRole.User);
        packed.Messages[1].Content.ShouldBe(
            "Here is the conversation so far. Continue it as the assistant.\n\n" +
            "### User\nq1\n\n" +
            "### Assistant\n<think>think</think>\nChecking.\n<tool_call>\n{\"name\": \"lookup\", \"arguments\": {\"q\": \"x\"}}\n</tool_call>\n\n" +
            "### Tool result (lookup, call c1)\nresult\n\n" +
            "### Assistant\ndone\n\n" +
            "### User\nq2");
    }

    [Fact]
    public void View_applies_policy_then_construction()
    {
        var view = new ConversationView(HistoryPolicies.Parse("drop-reasoning"), MultiTurnConstruction.Packed, ToolCallFormats.Pythonic);
        view.Name.ShouldBe("drop-reasoning|packed");
        var c = new Conversation([Message.User("q1"), Message.Assistant(null, [ToolCall.FromJson("f", """{"a":1}""")], "r"), Message.Tool(null, "f", "1"), Message.User("q2")]);
        var content = view.Apply(c).Messages.Single().Content!;
        content.ShouldContain("[f(a=1)]");
        content.ShouldNotContain("<think>");
    }
}
