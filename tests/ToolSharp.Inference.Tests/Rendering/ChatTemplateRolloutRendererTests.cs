using System.Text.Json;
using ToolSharp.Core.Formats;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Catalog;
using ToolSharp.Environments.Episodes;
using ToolSharp.Inference.Rendering;
using ToolSharp.Models.Configuration;
using ToolSharp.Testing;
using ToolSharp.Text.Templates;

namespace ToolSharp.Inference.Tests.Rendering;

/// <summary>The chat-template renderer on the real Qwen3 tokenizer with the Qwen3 and Qwen2.5 templates, and on Llama 3.1's
/// template with a small Llama-3-style tokenizer: prompts, continuations, demonstrations, parsing and the drift check.</summary>
public sealed class ChatTemplateRolloutRendererTests : IClassFixture<ChatTemplateRolloutRendererTests.Folders>
{
    private const string Qwen3Data = HuggingFaceFolders.Qwen3Tokenizer;

    /// <summary>Text-only folders (config.json, tokenizer and template; no weights), loaded once for the class.</summary>
    public sealed class Folders : IDisposable
    {
        private readonly TempDirectory _dir = new();

        public Folders()
        {
            if (SharedData.MissingReason(Qwen3Data) is not null) return;
            Qwen3Dir = HuggingFaceFolders.Qwen3(Path.Combine(_dir.Path, "qwen3"), weights: false);
            Qwen25Dir = HuggingFaceFolders.Qwen3(Path.Combine(_dir.Path, "qwen25"), HuggingFaceFolders.Qwen25Template, weights: false);
            Qwen3 = Load(Qwen3Dir);
            Qwen25 = Load(Qwen25Dir);
            Llama = Load(HuggingFaceFolders.Llama31(Path.Combine(_dir.Path, "llama")));
        }

        public string Qwen3Dir { get; } = "";
        public string Qwen25Dir { get; } = "";
        public ChatTemplateRolloutRenderer Qwen3 { get; } = null!;
        public ChatTemplateRolloutRenderer Qwen25 { get; } = null!;
        public ChatTemplateRolloutRenderer Llama { get; } = null!;

        public static ChatTemplateRolloutRenderer Load(string directory, ChatTemplateOptions? options = null) =>
            (ChatTemplateRolloutRenderer)RolloutRenderers.ForModel(directory, TransformerConfig.Load(Path.Combine(directory, "config.json")), options);

        public void Dispose() => _dir.Dispose();
    }

    private readonly Folders _folders;

    public ChatTemplateRolloutRendererTests(Folders folders) => _folders = folders;

    private static Conversation Demo(string spec, int index, string? instructions = null)
    {
        var env = EnvironmentCatalog.Create(spec);
        return ((IDemonstrationSource)env).Demonstration(env.GetTask("train", index), instructions);
    }

    private static string Trained(ChatTemplateRolloutRenderer r, Models.Training.SftExample e) =>
        r.Decode([.. e.Tokens.Where((_, i) => e.LossMask[i] > 0)]);

    [RequiresDataFact(Qwen3Data)]
    public void Qwen3_folder_reads_its_end_of_turn_format_and_thinking_switch()
    {
        var r = _folders.Qwen3;
        r.CallFormat.ShouldBe(ToolCallFormats.Hermes);
        r.EndOfTurn.ShouldBe(151_645); // <|im_end|>
        r.StopTokens.ShouldBe([151_645], ignoreOrder: true); // tokenizer_config eos, config eos and the template's end of turn agree
        r.VocabularySize.ShouldBe(151_669);
        r.ReasoningOpenedByPrompt.ShouldBeFalse();
        var prompt = r.Decode(r.Prompt(new Conversation([Message.User("Hi")])));
        prompt.ShouldBe("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n", "enable_thinking defaults to false");
        var thinking = Folders.Load(_folders.Qwen3Dir, new ChatTemplateOptions(Thinking: true));
        thinking.Decode(thinking.Prompt(new Conversation([Message.User("Hi")]))).ShouldEndWith("<|im_start|>assistant\n");
    }

    [RequiresDataTheory(Qwen3Data)]
    [InlineData("arith:levels=1-3", 0)]
    [InlineData("arith:levels=1-3", 7)]
    [InlineData("arith-memory:turns=2-3", 0)]
    [InlineData("arith-memory:turns=2-3", 3)]
    public void Qwen25_template_on_the_qwen3_tokenizer_rolls_out_exactly_the_full_render(string spec, int index)
    {
        var r = _folders.Qwen25;
        var demo = Demo(spec, index);
        r.CheckDrift(demo).ShouldBe(TemplateDrift.None);
        var example = r.Demonstration(demo);
        example.Tokens.ShouldBe(r.Tokenizer.Encode(r.Template.Render(demo)), "the demonstration is the full render, tokenised");
        Trained(r, example).ShouldStartWith("<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": ");
        Trained(r, example).ShouldEndWith($"</tool_call><|im_end|>{demo.Messages[^1].Content}<|im_end|>");
    }

    [RequiresDataFact(Qwen3Data)]
    public void Continuation_is_the_rest_of_the_turn_the_tool_results_and_the_next_generation_prompt()
    {
        var r = _folders.Qwen25;
        var demo = Demo("arith:levels=1", 0, "");
        var assistant = demo.Messages.ToList().FindIndex(m => m.Role == ChatRole.Assistant);
        var transcript = demo.WithMessages([.. demo.Messages.Take(assistant + 2)]); // the call and its result
        var text = r.Decode(r.Continuation(transcript, assistant + 1));
        text.ShouldBe($"\n<|im_start|>user\n<tool_response>\n{demo.Messages[assistant + 1].Content}\n</tool_response><|im_end|>\n<|im_start|>assistant\n");
    }

    [RequiresDataFact(Qwen3Data)]
    public void Qwen3_template_drops_an_earlier_empty_think_block_and_the_check_names_the_message_and_token()
    {
        var r = _folders.Qwen3;
        var demo = Demo("arith:levels=1", 0, "");
        var drift = r.CheckDrift(demo);
        drift.HasDrift.ShouldBeTrue();
        // The tool result (message 2) makes the call turn (message 1) a past turn, which Qwen3 renders without its
        // empty <think> block; the turn-by-turn tokens keep it (the model saw it), so they differ at that block.
        drift.MessageIndex.ShouldBe(2);
        drift.Description.ShouldStartWith("message 2 (tool): its prefix render rewrites earlier text");
        var thinkAt = Array.IndexOf(r.Demonstration(demo).Tokens, 151_667);
        thinkAt.ShouldBeGreaterThan(0);
        drift.TokenPosition.ShouldBe(thinkAt);
        drift.Description.ShouldContain($"token {thinkAt}: expected ");
        drift.Description.ShouldContain("found 151667 \"<think>\" (turn by turn)");

        // What rollouts build is still self-consistent: the prompt, the generated turn and the continuation give the
        // demonstration's tokens, with the think block of the first turn kept once (not duplicated) and trained on nothing.
        RolloutDrift.Check(r, demo).ShouldBe(TemplateDrift.None);
        var trained = Trained(r, r.Demonstration(demo));
        trained.ShouldBe($"<tool_call>\n{{\"name\": \"calculator\", \"arguments\": {{\"expression\": \"{demo.Messages[1].ToolCalls[0].Arguments.GetProperty("expression").GetString()}\"}}}}\n</tool_call><|im_end|>{demo.Messages[^1].Content}<|im_end|>");
    }

    [RequiresDataFact(Qwen3Data)]
    public void Llama31_template_with_a_llama3_style_tokenizer_is_clean_and_reads_llama_json_calls()
    {
        var r = _folders.Llama;
        r.CallFormat.ShouldBe(ToolCallFormats.Llama3);
        r.Decode([r.EndOfTurn]).ShouldBe("<|eot_id|>");
        r.StopTokens.Select(t => r.Decode([t])).ShouldBe(["<|end_of_text|>", "<|eot_id|>", "<|eom_id|>"], ignoreOrder: true);
        foreach (var (spec, index) in new[] { ("arith:levels=1-3", 0), ("arith-memory:turns=2-3", 1) })
        {
            var demo = Demo(spec, index);
            r.CheckDrift(demo).ShouldBe(TemplateDrift.None);
            var example = r.Demonstration(demo);
            r.Decode(example.Tokens).ShouldStartWith("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nEnvironment: ipython\n");
            var call = demo.Messages.First(m => m.HasToolCalls);
            Trained(r, example).ShouldStartWith($"{{\"name\": \"calculator\", \"parameters\": {{\"expression\": \"{call.ToolCalls[0].Arguments.GetProperty("expression").GetString()}\"}}}}<|eot_id|>");
        }
    }

    [RequiresDataFact(Qwen3Data)]
    public void Generated_tokens_parse_in_the_template_format_and_unknown_ids_decode_to_nothing()
    {
        var r = _folders.Qwen25;
        var tools = EnvironmentCatalog.Create("arith").ToolSpecs;
        var ids = r.Tokenizer.Encode("<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"2+3\"}}\n</tool_call><|im_end|>").ToList();
        var parsed = r.Parse(ids, tools);
        parsed.IsSuccess.ShouldBeTrue();
        parsed.Calls.Single().Name.ShouldBe("calculator");
        r.Decode([9707, 151_900, 151_935]).ShouldBe("Hello", "embedding rows past the tokenizer's ids decode to nothing");
        r.Parse([151_900, 151_645], tools).Content.ShouldBe("");
    }

    [RequiresDataFact(Qwen3Data)]
    public void Reasoning_is_read_when_thinking_is_on()
    {
        var r = Folders.Load(_folders.Qwen3Dir, new ChatTemplateOptions(Thinking: true));
        var ids = r.Tokenizer.Encode("<think>\nAdd them.\n</think>\n\n<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"2+3\"}}\n</tool_call><|im_end|>");
        var parsed = r.Parse([.. ids], EnvironmentCatalog.Create("arith").ToolSpecs);
        parsed.Reasoning.ShouldBe("Add them.");
        parsed.Calls.Single().ArgumentsJson.ShouldContain("2+3");
    }

    [RequiresDataFact(Qwen3Data)]
    public void An_explicit_format_overrides_detection_and_bad_options_name_the_key()
    {
        Folders.Load(_folders.Qwen25Dir, ChatTemplateOptions.Parse("format=json", "spec")).CallFormat.ShouldBe(ToolCallFormats.Json);
        ChatTemplateOptions.Split("models/q#format=qwen3,thinking=on").ShouldBe(("models/q", new ChatTemplateOptions("hermes", Thinking: true)));
        Should.Throw<Core.Errors.InputFormatException>(() => ChatTemplateOptions.Parse("format=xml", "m")).Message.ShouldStartWith("m: format: expected one of hermes,");
        Should.Throw<Core.Errors.InputFormatException>(() => ChatTemplateOptions.Parse("temperature=1", "m")).Message.ShouldBe("m: temperature: expected format, thinking or accept_drift, found 'temperature'");
        Should.Throw<Core.Errors.InputFormatException>(() => ChatTemplateOptions.Parse("thinking=maybe", "m")).Message.ShouldBe("m: thinking: expected true or false, found 'maybe'");
    }

    [Fact]
    public void The_builtin_renderer_passes_the_rollout_replay_check()
    {
        foreach (var (spec, index) in new[] { ("arith:levels=1-3", 2), ("arith-memory:turns=2-3", 2) })
            RolloutDrift.Check(BuiltinRolloutRenderer.Instance, Demo(spec, index)).ShouldBe(TemplateDrift.None);
    }

    [Fact]
    public void The_synthetic_check_conversation_has_a_call_a_result_and_a_second_user_turn()
    {
        var c = TemplateDriftCheck.Synthetic("Be brief.");
        c.Messages.Select(m => m.Role).ShouldBe([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant, ChatRole.User, ChatRole.Assistant]);
        c.Tools.Single().Name.ShouldBe("calculator");
    }
}
