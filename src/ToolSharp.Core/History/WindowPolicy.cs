using ToolSharp.Core.Errors;
using ToolSharp.Core.Messages;

namespace ToolSharp.Core.History;

/// <summary><c>window:K</c>: keeps the system messages, the first user message and the last K units of the dialogue.</summary>
/// <remarks>
/// A unit is a user message, or an assistant message together with the tool results that answer it, so a tool call
/// is never separated from its result (templates reject orphaned tool messages). The first user message states the
/// task and is always kept.
/// </remarks>
public sealed class WindowPolicy : IHistoryPolicy
{
    public WindowPolicy(int units)
    {
        if (units < 1) throw new ToolSharpException($"window size must be at least 1, found {units}");
        Units = units;
    }

    public int Units { get; }

    public string Name => $"window:{Units}";

    public Conversation Apply(Conversation conversation)
    {
        var messages = conversation.Messages;
        var head = new List<Message>();
        var i = 0;
        while (i < messages.Count && messages[i].Role == ChatRole.System) head.Add(messages[i++]);
        if (i < messages.Count && messages[i].Role == ChatRole.User) head.Add(messages[i++]);

        var unitStarts = new List<int>();
        for (var j = i; j < messages.Count; j++)
        {
            if (messages[j].Role != ChatRole.Tool || unitStarts.Count == 0) unitStarts.Add(j);
        }
        if (unitStarts.Count <= Units) return conversation;
        var keepFrom = unitStarts[^Units];
        return conversation.WithMessages([.. head, .. messages.Skip(keepFrom)]);
    }
}
