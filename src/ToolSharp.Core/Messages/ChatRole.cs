namespace ToolSharp.Core.Messages;

/// <summary>Who wrote a message, using the OpenAI chat-completions role names.</summary>
public enum ChatRole
{
    System,
    User,
    Assistant,
    Tool,
}

/// <summary>Conversions between <see cref="ChatRole"/> and its wire name.</summary>
public static class ChatRoleNames
{
    public static string ToWire(this ChatRole role) => role switch
    {
        ChatRole.System => "system",
        ChatRole.User => "user",
        ChatRole.Assistant => "assistant",
        ChatRole.Tool => "tool",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>Parses a wire role name; "developer" (newer OpenAI name for system) maps to <see cref="ChatRole.System"/>.</summary>
    public static bool TryParse(string? wire, out ChatRole role)
    {
        switch (wire)
        {
            case "system": case "developer": role = ChatRole.System; return true;
            case "user": role = ChatRole.User; return true;
            case "assistant": role = ChatRole.Assistant; return true;
            case "tool": case "ipython": case "function": role = ChatRole.Tool; return true;
            default: role = default; return false;
        }
    }
}
