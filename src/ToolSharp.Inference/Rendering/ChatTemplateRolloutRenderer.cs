using System.Text.Json;
using ToolSharp.Core.Formats;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Models.Training;
using ToolSharp.Text.Templates;
using ToolSharp.Text.Tokenization;

namespace ToolSharp.Inference.Rendering;

/// <summary>Rollout rendering for a Hugging Face model folder: its own chat template (Jinja) and tokenizer.json, on
/// <see cref="LossMaskRenderer"/>, so rollouts are token-in/token-out on the real template.</summary>
/// <remarks>
/// <para><see cref="Prompt"/> is the template's render with <c>add_generation_prompt</c>, tokenised as a server would.
/// <see cref="Continuation"/> is what the turn-by-turn render adds after an assistant turn's end-of-turn token (the
/// rest of that turn's markup, the tool results or the user message, the next generation prompt), and
/// <see cref="Demonstration"/> is the turn-by-turn render with the loss mask on the assistant's tokens: the two are
/// built the same way, so warm-up trains on the sequences rollouts produce. <see cref="CheckDrift"/> says where
/// either differs from tokenising the full render (templates that render past turns differently, such as Qwen3's,
/// which drops an earlier turn's empty <c>&lt;think&gt;</c> block).</para>
/// <para>Model output is decoded (ids the tokenizer does not define, such as padding rows of the embedding, decode to
/// nothing, as in Hugging Face tokenizers) and read with the template's tool-call format.</para>
/// </remarks>
public sealed class ChatTemplateRolloutRenderer : IRolloutRenderer
{
    private readonly LossMaskRenderer _renderer;
    private readonly IReadOnlyDictionary<string, JsonElement> _variables;

    /// <param name="template">The chat template.</param>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="callFormat">How assistant turns write tool calls (the template's format).</param>
    /// <param name="stopTokens">Ids an assistant turn stops at (must include <paramref name="endOfTurn"/>).</param>
    /// <param name="endOfTurn">The id the template ends an assistant turn with.</param>
    /// <param name="variables">Extra template variables (e.g. <c>enable_thinking</c>).</param>
    public ChatTemplateRolloutRenderer(ChatTemplate template, ITokenizer tokenizer, ToolCallFormat callFormat, IReadOnlySet<int> stopTokens, int endOfTurn,
        IReadOnlyDictionary<string, JsonElement>? variables = null)
    {
        if (!stopTokens.Contains(endOfTurn)) throw new ArgumentException($"the stop tokens must include the end-of-turn id {endOfTurn}", nameof(stopTokens));
        _renderer = new LossMaskRenderer(template, tokenizer);
        _variables = variables ?? new Dictionary<string, JsonElement>();
        CallFormat = callFormat;
        StopTokens = stopTokens;
        EndOfTurn = endOfTurn;
        var empty = new Conversation([Message.User("hi")]);
        ReasoningOpenedByPrompt = GenerationPrompt(empty).TrimEnd().EndsWith(ReasoningSplitter.Open, StringComparison.Ordinal);
    }

    public ChatTemplate Template => _renderer.Template;

    public ITokenizer Tokenizer => _renderer.Tokenizer;

    /// <summary>The tool-call format model output is parsed with.</summary>
    public ToolCallFormat CallFormat { get; }

    /// <summary>Template variables passed to every render.</summary>
    public IReadOnlyDictionary<string, JsonElement> Variables => _variables;

    /// <summary>True when the generation prompt opens a <c>&lt;think&gt;</c> block, so output starts inside the reasoning.</summary>
    public bool ReasoningOpenedByPrompt { get; }

    public int VocabularySize => Tokenizer.VocabularySize;

    public IReadOnlySet<int> StopTokens { get; }

    public int EndOfTurn { get; }

    public int[] Prompt(Conversation conversation) => [.. Tokenizer.Encode(Template.Render(conversation, addGenerationPrompt: true, _variables))];

    public int[] Continuation(Conversation transcript, int fromMessage)
    {
        var render = _renderer.Render(transcript, addGenerationPrompt: true, _variables);
        var assistant = fromMessage - 1;
        var start = render.MessageStarts[assistant];
        var end = render.MessageStarts[fromMessage];
        var trainedEnd = start;
        for (var i = start; i < end; i++)
            if (render.Mask[i] > 0) trainedEnd = i + 1;
        return render.Tokens[trainedEnd..];
    }

    public ParsedOutput Parse(IReadOnlyList<int> generated, IReadOnlyList<ToolSpec> tools)
    {
        var ids = generated.Count > 0 && StopTokens.Contains(generated[^1]) ? generated.Take(generated.Count - 1).ToList() : generated;
        return CallFormat.Parse(Decode(ids), tools, ReasoningOpenedByPrompt);
    }

    public string Decode(IReadOnlyList<int> tokens) => Tokenizer.Decode([.. tokens.Where(t => Tokenizer.IdToToken(t) is not null)]);

    public SftExample Demonstration(Conversation conversation)
    {
        var render = _renderer.Render(conversation, variables: _variables);
        return new SftExample(render.Tokens, render.Mask);
    }

    /// <summary>Where rollouts of <paramref name="conversation"/> stop agreeing with tokenising its full render: first the
    /// template (turn-by-turn render against the full render), then the rollout's own prompt and continuations against
    /// the demonstration (<see cref="RolloutDrift"/>).</summary>
    public TemplateDrift CheckDrift(Conversation conversation)
    {
        var render = _renderer.Render(conversation, variables: _variables);
        return render.Drift.HasDrift ? render.Drift : RolloutDrift.Check(this, conversation);
    }

    /// <summary>The text the template adds for <c>add_generation_prompt</c> after <paramref name="conversation"/>.</summary>
    public string GenerationPrompt(Conversation conversation)
    {
        var with = Template.Render(conversation, addGenerationPrompt: true, _variables);
        var without = Template.Render(conversation, addGenerationPrompt: false, _variables);
        return with.StartsWith(without, StringComparison.Ordinal) ? with[without.Length..] : "";
    }
}
