using System.Diagnostics;
using ToolSharp.Core.Hashing;
using ToolSharp.Evaluation.Agent;
using ToolSharp.Models;
using ToolSharp.Models.Generation;
using ToolSharp.Text.Builtin;

namespace ToolSharp.Evaluation.Policies;

/// <summary>The in-process built-in model: built-in tokenizer and chat format, seeded sampling, exact token counts.</summary>
/// <remarks>
/// Native mode uses the chat format's own tool rendering (signatures in the system turn, Hermes calls), which is what
/// the built-in models are trained on. Prompt mode prepares the conversation like any prompt-mode backend (tools
/// described in the chosen format, no tool API) and parses the decoded text with that format. Each turn re-renders
/// the prompt the history policy produced, so prompt-token counts are exact; requests run one at a time because the
/// CPU is the bottleneck and sessions are not shared between threads.
/// </remarks>
public sealed class BuiltinModelPolicy : IPolicy
{
    private readonly Transformer _model;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly BuiltinChatFormat _format = BuiltinChatFormat.Instance;

    public BuiltinModelPolicy(Transformer model, string name, string? weightsHash = null)
    {
        _model = model;
        Identity = new PolicyIdentity("builtin", name, WeightsHash: weightsHash, TemplateHash: StableHash.Of("builtin-chat-format"));
    }

    /// <summary>Loads a checkpoint directory (config.json + safetensors) and hashes its files for the manifest.</summary>
    public static BuiltinModelPolicy Load(string directory) =>
        new(Transformer.Load(directory), Path.GetFileName(Path.GetFullPath(directory).TrimEnd('/')), WeightsHash(directory));

    /// <summary>SHA-256 over the checkpoint's config and weight files, in name order.</summary>
    public static string WeightsHash(string directory)
    {
        var files = Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".safetensors", StringComparison.Ordinal) || Path.GetFileName(f) == "config.json")
            .Order(StringComparer.Ordinal)
            .Select(f => Path.GetFileName(f) + ":" + StableHash.OfFile(f));
        return StableHash.Of(string.Join("\n", files));
    }

    public PolicyIdentity Identity { get; }

    public async Task<PolicyTurn> NextAsync(PolicyRequest request, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var clock = Stopwatch.StartNew();
            var s = request.Sampling;
            var sampling = new SamplingOptions((float)(s.Temperature ?? 0), 0, (float)(s.TopP ?? 1));
            var conversation = request.PromptMode ? PromptModeConversation.Prepare(request.Conversation, request.Format!) : request.Conversation;
            var prompt = _format.Prompt(conversation);
            var maxLength = _model.Config.MaxPositionEmbeddings;
            var session = new GenerationSession(_model, sampling);
            // A per-turn seed: the same episode seed gives the same tokens turn after turn on every machine.
            var sequence = session.Start(prompt.Length >= maxLength ? prompt[^(maxLength - 1)..] : prompt, (ulong)(s.Seed ?? 0) * 1000 + (ulong)request.Turn);
            var limits = new GenerationLimits(s.MaxTokens ?? 256, new HashSet<int> { _format.EndOfTurn }, MaxTotalLength: maxLength);
            var segment = await Task.Run(() => session.Generate([sequence], limits)[0], cancellationToken).ConfigureAwait(false);

            var ids = segment.Tokens.Length > 0 && segment.Tokens[^1] == _format.EndOfTurn ? segment.Tokens[..^1] : segment.Tokens;
            var text = _format.Tokenizer.Decode(ids);
            var parsed = request.PromptMode ? request.Format!.Parse(text, request.Conversation.Tools) : _format.Parse(segment.Tokens, request.Conversation.Tools);
            return new PolicyTurn
            {
                Message = parsed.ToAssistantMessage(),
                ParseErrors = parsed.Errors.Where(e => e.Kind is Core.Tools.ToolCallErrorKind.MalformedJson or Core.Tools.ToolCallErrorKind.UnterminatedTag or Core.Tools.ToolCallErrorKind.InvalidStructure).ToList(),
                RawText = text,
                PromptTokens = prompt.Length,
                CompletionTokens = segment.Tokens.Length,
                FinishReason = segment.StopReason == StopReason.StopToken ? "stop" : "length",
                Latency = clock.Elapsed,
            };
        }
        finally
        {
            _gate.Release();
        }
    }
}
