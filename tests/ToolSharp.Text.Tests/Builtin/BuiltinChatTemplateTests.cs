using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Testing;
using ToolSharp.Text.Builtin;
using ToolSharp.Text.Templates;
using ToolSharp.Text.Tokenization;

namespace ToolSharp.Text.Tests.Builtin;

public class BuiltinChatTemplateTests
{
    private static readonly ChatTemplate Template = ChatTemplate.FromText(BuiltinChatTemplate.Text, "builtin");

    public static TheoryData<int> Cases() => [.. Enumerable.Range(0, SampleConversations.All().Count)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Template_renders_exactly_what_the_chat_format_renders(int index)
    {
        var conversation = SampleConversations.All()[index];
        foreach (var prompt in new[] { false, true })
            Template.Render(conversation, prompt).ShouldBe(BuiltinChatFormat.Instance.RenderText(conversation, prompt), $"add_generation_prompt={prompt}");
    }

    [Fact]
    public void Template_accepts_string_arguments_and_bare_tools_as_clients_send_them()
    {
        var json = Core.Json.JsonValues.Parse("""
            {"messages": [{"role": "user", "content": "q"},
                          {"role": "assistant", "content": null, "tool_calls": [{"id": "1", "type": "function", "function": {"name": "f", "arguments": "{\"x\": 1}"}}]},
                          {"role": "tool", "tool_call_id": "1", "content": "r"}],
             "tools": [{"name": "f", "parameters": {"type": "object", "properties": {"x": {}}, "required": ["x"]}}]}
            """);
        Template.RenderDocument(json, addGenerationPrompt: true).ShouldBe(
            "<|system|>tools: f(x)<|end|><|user|>q<|end|><|assistant|><tool_call>{\"name\": \"f\", \"arguments\": {\"x\": 1}}</tool_call><|end|>" +
            "<|tool|><tool_response>r</tool_response><|end|><|assistant|>");
    }

    [Fact]
    public void Exported_tokenizer_json_gives_the_built_in_ids_through_the_bpe_tokenizer()
    {
        var bpe = BpeTokenizer.FromJsonText(BuiltinTokenizer.Instance.ToTokenizerJson(), "exported tokenizer.json");
        bpe.VocabularySize.ShouldBe(BuiltinTokenizer.Size);
        var texts = SampleConversations.All().Select(c => BuiltinChatFormat.Instance.RenderText(c, true))
            .Concat(["", "plain", "  leading and trailing  ", "tabs\tand\r\nlines", "日本語 😀 naïve", "<|user|x> <tool_callx> </tool_call", "\u0000\u007f\u00ff", "<|reserved_3|><|pad|><|bos|>"]);
        foreach (var text in texts)
        {
            bpe.Encode(text).ShouldBe(BuiltinTokenizer.Instance.Encode(text), text);
            bpe.Decode(bpe.Encode(text)).ShouldBe(text);
        }
        for (var id = 0; id < BuiltinTokenizer.Size; id++) bpe.IdToToken(id).ShouldBe(BuiltinTokenizer.Instance.IdToToken(id));
    }

    [Fact]
    public void Calls_with_non_object_arguments_render_as_client_strings()
    {
        // The one deliberate difference: BuiltinChatFormat writes {} for arguments that are not a JSON object, while a
        // template inserts a client's arguments string verbatim, as Hugging Face templates do.
        var conversation = new Conversation([Message.User("q"), Message.Assistant(null, [ToolCall.FromJson("f", "[1]", "1")])]);
        Template.Render(conversation).ShouldContain("\"arguments\": [1]}");
        BuiltinChatFormat.Instance.RenderText(conversation).ShouldContain("\"arguments\": {}}");
    }
}
