using ToolSharp.Core.Tools;

namespace ToolSharp.Environments.Episodes;

/// <summary>An environment whose tasks are answered by specific tool calls exposes them, for call-matching rewards such as ToolRL's.</summary>
public interface IReferenceCalls
{
    /// <summary>The calls that answer <paramref name="task"/>, in order; empty when the right answer is to make no call, null when the task has no reference.</summary>
    IReadOnlyList<ToolCall>? ReferenceCalls(EnvironmentTask task);
}
