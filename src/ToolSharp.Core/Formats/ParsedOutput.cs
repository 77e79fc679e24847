using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;

namespace ToolSharp.Core.Formats;

/// <summary>What a model's text turned out to contain: visible content, reasoning, tool calls and any parse errors.</summary>
/// <param name="Content">Text outside tool calls and reasoning, trimmed.</param>
/// <param name="Reasoning">Text inside <c>&lt;think&gt;…&lt;/think&gt;</c>, or null when there was none.</param>
/// <param name="Calls">Every call that could be read, in order (possibly alongside errors for others).</param>
/// <param name="Errors">Parse and validation errors; empty when the output is well-formed.</param>
public sealed record ParsedOutput(string Content, string? Reasoning, IReadOnlyList<ToolCall> Calls, IReadOnlyList<ToolCallError> Errors)
{
    public bool IsSuccess => Errors.Count == 0;

    public bool HasCalls => Calls.Count > 0;

    /// <summary>Errors for call text that could not be read at all. Calls that were read but break their schema are not
    /// among them: they are still made, and the executor reports the violation to the model like any tool error.</summary>
    public IReadOnlyList<ToolCallError> UnreadableCalls =>
        Errors.Where(e => e.Kind is ToolCallErrorKind.MalformedJson or ToolCallErrorKind.UnterminatedTag or ToolCallErrorKind.InvalidStructure).ToList();

    /// <summary>The assistant message this output represents (content null when empty and calls exist).</summary>
    public Message ToAssistantMessage() =>
        Message.Assistant(Content.Length == 0 && Calls.Count > 0 ? null : Content, Calls, Reasoning);
}
