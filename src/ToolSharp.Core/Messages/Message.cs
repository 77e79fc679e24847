using ToolSharp.Core.Tools;

namespace ToolSharp.Core.Messages;

/// <summary>One chat message: role, text, optional reasoning, tool calls (assistant) or a tool result (tool).</summary>
public sealed record Message
{
    public required ChatRole Role { get; init; }

    /// <summary>The visible text; null for an assistant turn that only calls tools.</summary>
    public string? Content { get; init; }

    /// <summary>The model's reasoning (e.g. the text inside <c>&lt;think&gt;</c>), kept apart from the content.</summary>
    public string? ReasoningContent { get; init; }

    /// <summary>Tool calls made by an assistant turn, in order (several = parallel calls).</summary>
    public IReadOnlyList<ToolCall> ToolCalls { get; init; } = [];

    /// <summary>For a tool message: the id of the call it answers.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>For a tool message: the tool name; for others an optional participant name.</summary>
    public string? Name { get; init; }

    public static Message System(string content) => new() { Role = ChatRole.System, Content = content };

    public static Message User(string content) => new() { Role = ChatRole.User, Content = content };

    public static Message Assistant(string? content, IReadOnlyList<ToolCall>? toolCalls = null, string? reasoning = null) =>
        new() { Role = ChatRole.Assistant, Content = content, ToolCalls = toolCalls ?? [], ReasoningContent = reasoning };

    public static Message Tool(string? toolCallId, string name, string content) =>
        new() { Role = ChatRole.Tool, ToolCallId = toolCallId, Name = name, Content = content };

    public static Message FromToolResult(ToolResult result) => Tool(result.CallId, result.Name, result.Content);

    public bool HasToolCalls => ToolCalls.Count > 0;

    public bool Equals(Message? other) =>
        other is not null && Role == other.Role && Content == other.Content && ReasoningContent == other.ReasoningContent &&
        ToolCallId == other.ToolCallId && Name == other.Name && ToolCalls.SequenceEqual(other.ToolCalls);

    public override int GetHashCode() => HashCode.Combine(Role, Content, ReasoningContent, ToolCallId, Name, ToolCalls.Count);
}
