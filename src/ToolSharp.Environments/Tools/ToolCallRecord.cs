using ToolSharp.Core.Tools;

namespace ToolSharp.Environments.Tools;

/// <summary>The outcome of one tool call in an episode: what was asked, what the model saw, how long it took.</summary>
/// <param name="Call">The call as the model made it.</param>
/// <param name="Result">The result shown to the model (an error result when the call failed).</param>
/// <param name="Duration">Time spent on <see cref="ToolExecutionOptions.Clock"/> (zero for calls rejected before running); data for reports.</param>
/// <param name="OutputChars">Length of the tool's output before truncation (0 for failures).</param>
/// <param name="Truncated">True when the output was cut to the limit.</param>
public sealed record ToolCallRecord(ToolCall Call, ToolResult Result, TimeSpan Duration, int OutputChars = 0, bool Truncated = false)
{
    public bool Succeeded => !Result.IsError;

    /// <summary>The failure category, or null for a successful call.</summary>
    public ToolCallErrorKind? ErrorKind => Result.Error?.Kind;
}
