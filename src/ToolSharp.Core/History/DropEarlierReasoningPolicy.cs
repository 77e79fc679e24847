using ToolSharp.Core.Messages;

namespace ToolSharp.Core.History;

/// <summary><c>drop-reasoning</c>: removes the reasoning of assistant turns that precede the last user message.</summary>
/// <remarks>
/// The current turn (everything after the last user message, including its tool-calling steps) keeps its reasoning,
/// which is what Qwen3's own template does; earlier turns lose it.
/// </remarks>
public sealed class DropEarlierReasoningPolicy : IHistoryPolicy
{
    public static DropEarlierReasoningPolicy Instance { get; } = new();

    public string Name => "drop-reasoning";

    public Conversation Apply(Conversation conversation)
    {
        var messages = conversation.Messages;
        var lastUser = -1;
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == ChatRole.User) { lastUser = i; break; }
        }
        if (lastUser < 0) return conversation;
        var changed = false;
        var result = new Message[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            var m = messages[i];
            if (i < lastUser && m.Role == ChatRole.Assistant && m.ReasoningContent is not null)
            {
                m = m with { ReasoningContent = null };
                changed = true;
            }
            result[i] = m;
        }
        return changed ? conversation.WithMessages(result) : conversation;
    }
}
