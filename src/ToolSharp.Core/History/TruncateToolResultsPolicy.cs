using ToolSharp.Core.Errors;
using ToolSharp.Core.Messages;

namespace ToolSharp.Core.History;

/// <summary><c>truncate:N</c>: shortens every tool result longer than N characters, with a visible marker.</summary>
/// <remarks>The marker says how much was cut, so a model (and a reader of transcripts) knows the output was longer.
/// Cuts never split a surrogate pair.</remarks>
public sealed class TruncateToolResultsPolicy : IHistoryPolicy
{
    public TruncateToolResultsPolicy(int maxChars)
    {
        if (maxChars < 1) throw new ToolSharpException($"truncation length must be at least 1, found {maxChars}");
        MaxChars = maxChars;
    }

    public int MaxChars { get; }

    public string Name => $"truncate:{MaxChars}";

    /// <summary>The text appended after a cut.</summary>
    public static string Marker(int removedChars) => $"…[truncated {removedChars} chars]";

    public Conversation Apply(Conversation conversation)
    {
        var changed = false;
        var result = conversation.Messages.Select(m =>
        {
            if (m.Role != ChatRole.Tool || m.Content is null || m.Content.Length <= MaxChars) return m;
            changed = true;
            return m with { Content = Truncate(m.Content, MaxChars) };
        }).ToList();
        return changed ? conversation.WithMessages(result) : conversation;
    }

    /// <summary>Cuts <paramref name="text"/> to at most <paramref name="maxChars"/> characters of content plus the marker.</summary>
    public static string Truncate(string text, int maxChars)
    {
        if (text.Length <= maxChars) return text;
        var cut = maxChars;
        if (char.IsHighSurrogate(text[cut - 1])) cut--;
        return text[..cut] + Marker(text.Length - cut);
    }
}
