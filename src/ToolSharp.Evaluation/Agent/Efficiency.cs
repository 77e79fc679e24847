using ToolSharp.Core.Messages;

namespace ToolSharp.Evaluation.Agent;

/// <summary>Token accounting for efficiency metrics: prefix reuse between turns and PTE (prefill-token equivalents).</summary>
/// <remarks>
/// PTE = Σ over turns of the prompt tokens that cannot come from the KV cache + w · Σ generated tokens.
/// A turn's prompt can reuse the cache only when it extends the previous turn's prompt and reply unchanged; then only
/// the new part (tool results, next user message, generation prompt) is prefilled: prompt_t − prompt_{t−1} − completion_{t−1}.
/// When a history policy rewrites earlier turns (drop-reasoning, window, truncate, packed) the prefix breaks and the
/// whole prompt is prefilled again — exactly the cost those policies trade for shorter contexts.
/// w is the cost of one decoded token in prefill tokens; decode is memory-bound and runs one token per forward pass,
/// so w is well above 1 on every backend. The default 4 is a conservative CPU/GPU middle; reports accept another value.
/// </remarks>
public static class Efficiency
{
    public const double DefaultDecodeWeight = 4.0;

    /// <summary>Rough token estimate for backends that report no usage (about four characters per token in English and JSON).</summary>
    public static int EstimateTokens(string? text) => string.IsNullOrEmpty(text) ? 0 : (text.Length + 3) / 4;

    public static int EstimateTokens(Conversation conversation)
    {
        var chars = 0;
        foreach (var m in conversation.Messages)
        {
            chars += (m.Content?.Length ?? 0) + (m.ReasoningContent?.Length ?? 0) + 4;
            foreach (var c in m.ToolCalls) chars += c.Name.Length + c.ArgumentsJson.Length;
        }
        foreach (var t in conversation.Tools) chars += t.Name.Length + t.Description.Length + t.Parameters.GetRawText().Length;
        return (chars + 3) / 4;
    }

    /// <summary>True when <paramref name="current"/> starts with every message of <paramref name="previous"/> followed by <paramref name="reply"/>.</summary>
    public static bool ExtendsPrefix(Conversation previous, Message reply, Conversation current)
    {
        if (!previous.Tools.SequenceEqual(current.Tools)) return false;
        var n = previous.Messages.Count;
        if (current.Messages.Count < n + 1) return false;
        for (var i = 0; i < n; i++)
            if (!previous.Messages[i].Equals(current.Messages[i])) return false;
        var next = current.Messages[n];
        return next.Role == ChatRole.Assistant && next.Content == reply.Content && next.ToolCalls.Count == reply.ToolCalls.Count;
    }

    /// <summary>Prompt tokens that must be prefilled over an episode's steps, given whether each step reused the prefix.</summary>
    public static long UncachedPromptTokens(IReadOnlyList<StepRecord> steps)
    {
        long total = 0;
        for (var i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            if (i > 0 && s.PrefixReused)
                total += Math.Max(0, s.PromptTokens - steps[i - 1].PromptTokens - steps[i - 1].CompletionTokens);
            else
                total += s.PromptTokens;
        }
        return total;
    }
}
