using ToolSharp.Core.Messages;

namespace ToolSharp.Environments.Scoring;

/// <summary>Finds the text an agent gave as its answer: the content of the last assistant message that has any.</summary>
public static class FinalAnswer
{
    /// <summary>The last assistant content (reasoning excluded), or null when the assistant never wrote text.</summary>
    public static string? Text(Conversation transcript)
    {
        for (var i = transcript.Messages.Count - 1; i >= 0; i--)
        {
            var m = transcript.Messages[i];
            if (m.Role == ChatRole.Assistant && !string.IsNullOrWhiteSpace(m.Content)) return m.Content;
        }
        return null;
    }
}
