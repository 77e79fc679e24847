using System.Text.Json;
using ToolSharp.Testing;
using ToolSharp.Text.Templates;
using ToolSharp.Text.Tests.Tokenization;

namespace ToolSharp.Text.Tests.Templates;

public class LossMaskRendererTests
{
    private const string Config = "tokenizers/qwen3/tokenizer_config.json";

    private static LossMaskRenderer Qwen3() => new(ChatTemplate.FromTokenizerConfig(SharedData.Path(Config)), Qwen3Tokenizer.Instance);

    private static JsonElement Json(string s) => JsonDocument.Parse(s).RootElement.Clone();

    private const string Tools = """[{"type": "function", "function": {"name": "calc", "description": "Calculator", "parameters": {"type": "object", "properties": {"expr": {"type": "string"}}, "required": ["expr"]}}}]""";

    private static string Trained(LossMaskRenderer r, MaskedRender m) =>
        r.Tokenizer.Decode([.. m.Tokens.Where((_, i) => m.Mask[i] > 0)]);

    [RequiresDataFact(Config, Qwen3Tokenizer.RelativePath)]
    public void Qwen3_tool_loop_with_reasoning_content_has_no_drift()
    {
        var r = Qwen3();
        var messages = Json("""
            [{"role": "system", "content": "Use tools."},
             {"role": "user", "content": "What is 12*7?"},
             {"role": "assistant", "reasoning_content": "Use the calculator.", "content": "", "tool_calls": [{"type": "function", "function": {"name": "calc", "arguments": {"expr": "12*7"}}}]},
             {"role": "tool", "content": "84"},
             {"role": "assistant", "reasoning_content": "The tool said 84.", "content": "Answer: 84"}]
            """);
        var m = r.Render(messages, Json(Tools));
        m.Drift.HasDrift.ShouldBeFalse(m.Drift.Description);
        m.Tokens.ShouldBe(r.Tokenizer.Encode(r.Template.Render(messages, Json(Tools))));
        Trained(r, m).ShouldBe(
            "<think>\nUse the calculator.\n</think>\n\n<tool_call>\n{\"name\": \"calc\", \"arguments\": {\"expr\": \"12*7\"}}\n</tool_call><|im_end|>" +
            "<think>\nThe tool said 84.\n</think>\n\nAnswer: 84<|im_end|>");
    }

    [RequiresDataFact(Config, Qwen3Tokenizer.RelativePath)]
    public void Qwen3_without_reasoning_content_has_no_drift_when_thinking_is_in_the_content_or_the_turn_is_last()
    {
        var r = Qwen3();
        // Reasoning inline in the content, as the model generates it: the template moves it out and renders it back the same way.
        var inline = Json("""
            [{"role": "user", "content": "What is 12*7?"},
             {"role": "assistant", "content": "<think>\nCalculator.\n</think>\n\n<tool_call>\n{\"name\": \"calc\", \"arguments\": {\"expr\": \"12*7\"}}\n</tool_call>"},
             {"role": "tool", "content": "84"},
             {"role": "assistant", "content": "<think>\n\n</think>\n\nAnswer: 84"}]
            """);
        var m = r.Render(inline, Json(Tools));
        m.Drift.HasDrift.ShouldBeFalse(m.Drift.Description);
        // A single answer with no reasoning at all.
        var single = Json("""[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]""");
        var s = r.Render(single);
        s.Drift.HasDrift.ShouldBeFalse(s.Drift.Description);
        Trained(r, s).ShouldBe("<think>\n\n</think>\n\nHello!<|im_end|>");
        s.Mask[^1].ShouldBe(0f); // the "\n" after <|im_end|> is not generated
    }

    [RequiresDataFact(Config, Qwen3Tokenizer.RelativePath)]
    public void Qwen3_drops_earlier_reasoning_and_the_check_reports_where()
    {
        var r = Qwen3();
        var messages = Json("""
            [{"role": "user", "content": "Hi"},
             {"role": "assistant", "reasoning_content": "Greet back.", "content": "Hello!"},
             {"role": "user", "content": "Bye"},
             {"role": "assistant", "reasoning_content": "Say bye.", "content": "Bye!"}]
            """);
        var m = r.Render(messages);
        m.Drift.HasDrift.ShouldBeTrue();
        m.Drift.MessageIndex.ShouldBe(2);
        m.Drift.TokenPosition.ShouldNotBeNull();
        m.Drift.Description.ShouldContain("message 2 (user)");
        m.Drift.Description.ShouldContain("expected");
        // The turn-by-turn sequence keeps what the model generated: the first turn's reasoning is trained on, and the
        // later renders are aligned after its end of turn, so nothing of it is repeated.
        Trained(r, m).ShouldBe("<think>\nGreet back.\n</think>\n\nHello!<|im_end|><think>\nSay bye.\n</think>\n\nBye!<|im_end|>");
        r.Tokenizer.Decode(m.Tokens).ShouldBe(
            "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\nGreet back.\n</think>\n\nHello!<|im_end|>\n" +
            "<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n<think>\nSay bye.\n</think>\n\nBye!<|im_end|>\n");
        m.MessageStarts.Length.ShouldBe(5);
        r.Tokenizer.Decode(m.Tokens[m.MessageStarts[2]..m.MessageStarts[3]]).ShouldBe("<|im_start|>user\nBye<|im_end|>\n");
    }

    [Fact]
    public void A_prefix_the_template_refuses_to_end_on_is_rendered_with_the_next_message()
    {
        // Like Llama 3.1 with tools: a conversation cannot end on its system message.
        var template = ChatTemplate.FromText(
            "{% if messages[-1].role == 'system' %}{{ raise_exception('needs a user turn') }}{% endif %}" +
            "{% for m in messages %}<|{{ m.role }}|>{{ m.content }}<|end|>{% endfor %}{% if add_generation_prompt %}<|assistant|>{% endif %}");
        var r = new LossMaskRenderer(template, ToolSharp.Text.Builtin.BuiltinTokenizer.Instance);
        var m = r.Render(Json("""[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "2+3?"}, {"role": "assistant", "content": "5"}]"""));
        m.Drift.HasDrift.ShouldBeFalse(m.Drift.Description);
        m.MessageStarts[..2].ShouldBe([0, 0], "the system message's text is in the user message's delta");
        r.Tokenizer.Decode([.. m.Tokens.Where((_, i) => m.Mask[i] > 0)]).ShouldBe("5<|end|>");
    }

    [Fact]
    public void Builtin_style_template_with_the_byte_tokenizer_has_no_drift()
    {
        var template = ChatTemplate.FromText("{% for m in messages %}<|{{ m.role }}|>{{ m.content }}<|end|>{% endfor %}{% if add_generation_prompt %}<|assistant|>{% endif %}");
        var r = new LossMaskRenderer(template, ToolSharp.Text.Builtin.BuiltinTokenizer.Instance);
        var m = r.Render(Json("""[{"role": "user", "content": "2+3?"}, {"role": "assistant", "content": "5"}, {"role": "user", "content": "x2?"}]"""), addGenerationPrompt: true);
        m.Drift.HasDrift.ShouldBeFalse(m.Drift.Description);
        r.Tokenizer.Decode([.. m.Tokens.Where((_, i) => m.Mask[i] > 0)]).ShouldBe("5<|end|>");
    }
}
