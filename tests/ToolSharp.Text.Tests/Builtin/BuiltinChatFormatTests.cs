using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Text.Builtin;

namespace ToolSharp.Text.Tests.Builtin;

public class BuiltinChatFormatTests
{
    private static readonly BuiltinChatFormat F = BuiltinChatFormat.Instance;

    private static readonly ToolSpec Calculator = new("calculator", "Evaluate.", JsonValues.Parse("""{"type":"object","properties":{"expression":{"type":"string"},"precision":{"type":"integer"}},"required":["expression"]}"""));

    private static Conversation Dialogue() => new([
        Message.System("Use tools."),
        Message.User("What is 2+3?"),
        Message.Assistant(null, [ToolCall.FromJson("calculator", """{"expression":"2+3"}""", "c1")]),
        Message.Tool("c1", "calculator", "5"),
        Message.Assistant("Answer: 5"),
    ], [Calculator]);

    [Fact]
    public void Renders_the_documented_layout()
    {
        F.RenderText(Dialogue()).ShouldBe(
            "<|system|>Use tools.\ntools: calculator(expression, precision?)<|end|>" +
            "<|user|>What is 2+3?<|end|>" +
            "<|assistant|><tool_call>{\"name\": \"calculator\", \"arguments\": {\"expression\": \"2+3\"}}</tool_call><|end|>" +
            "<|tool|><tool_response>5</tool_response><|end|>" +
            "<|assistant|>Answer: 5<|end|>");
    }

    [Fact]
    public void Mask_covers_exactly_what_assistant_turns_generate()
    {
        var (tokens, mask) = F.Render(Dialogue());
        var trained = F.Tokenizer.Decode(tokens.Where((_, i) => mask[i] > 0).ToList());
        trained.ShouldBe("<tool_call>{\"name\": \"calculator\", \"arguments\": {\"expression\": \"2+3\"}}</tool_call><|end|>Answer: 5<|end|>");
    }

    [Fact]
    public void Turn_by_turn_tokens_equal_the_full_render()
    {
        var full = F.Render(Dialogue()).Tokens;
        var opening = new Conversation(Dialogue().Messages.Take(2).ToList(), [Calculator]);
        var built = new List<int>(F.Prompt(opening));
        var (callTokens, _) = F.Render(new Conversation([Message.Assistant(null, [ToolCall.FromJson("calculator", """{"expression":"2+3"}""")])]));
        built.AddRange(callTokens.Skip(1)); // the sampled tokens: everything after <|assistant|>
        var dialogue = Dialogue();
        built.AddRange(F.Continuation(dialogue.WithMessages(dialogue.Messages.Take(4).ToList()), 3));
        built.AddRange(F.Tokenizer.Encode("Answer: 5<|end|>"));
        built.ShouldBe(full);
    }

    [Fact]
    public void Parses_generated_turns()
    {
        var ids = F.Tokenizer.Encode("<tool_call>{\"name\": \"calculator\", \"arguments\": {\"expression\": \"7*6\"}}</tool_call><|end|>");
        var parsed = F.Parse(ids, [Calculator]);
        parsed.Errors.ShouldBeEmpty();
        parsed.Calls.Single().Arguments.GetProperty("expression").GetString().ShouldBe("7*6");
        F.Parse(F.Tokenizer.Encode("Answer: 42<|end|>")).Content.ShouldBe("Answer: 42");
        F.Parse(F.Tokenizer.Encode("<tool_call>{\"name\": \"calculator\"<|end|>")).Errors.Single().Kind.ShouldBe(ToolCallErrorKind.UnterminatedTag);
    }

    [Fact]
    public void A_user_turn_after_an_answer_continues_with_the_next_generation_prompt()
    {
        var conversation = new Conversation([Message.User("a"), Message.Assistant("done"), Message.User("now b")]);
        F.Tokenizer.Decode(F.Continuation(conversation, 2)).ShouldBe("<|user|>now b<|end|><|assistant|>");
    }

    [Fact]
    public void Tool_results_of_parallel_calls_share_one_tool_turn()
    {
        var calls = new[] { ToolCall.FromJson("f", "{}", "a"), ToolCall.FromJson("f", "{}", "b") };
        var conversation = new Conversation([Message.User("go"), Message.Assistant(null, calls), Message.Tool("a", "f", "1"), Message.Tool("b", "f", "2")]);
        var text = F.Tokenizer.Decode(F.Continuation(conversation, 2));
        text.ShouldBe("<|tool|><tool_response>1</tool_response><tool_response>2</tool_response><|end|><|assistant|>");
    }
}
