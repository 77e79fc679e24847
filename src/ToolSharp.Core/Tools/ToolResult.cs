namespace ToolSharp.Core.Tools;

/// <summary>The output of executing one tool call, as the model will see it.</summary>
/// <param name="CallId">The id of the call this answers (may be null for sources without ids).</param>
/// <param name="Name">The tool name.</param>
/// <param name="Content">The text the model sees (already truncated if the tool's output was too long).</param>
/// <param name="Error">Set when the call failed: a parse, schema or execution error the model is shown.</param>
public sealed record ToolResult(string? CallId, string Name, string Content, ToolCallError? Error = null)
{
    /// <summary>True when the call did not produce a successful result.</summary>
    public bool IsError => Error is not null;

    public static ToolResult Success(ToolCall call, string content) => new(call.Id, call.Name, content);

    public static ToolResult Failure(ToolCall call, ToolCallError error) =>
        new(call.Id, call.Name, $"Error: {error.Message}", error);
}
