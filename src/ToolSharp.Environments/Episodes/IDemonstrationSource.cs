using ToolSharp.Core.Messages;

namespace ToolSharp.Environments.Episodes;

/// <summary>An environment that can write a correct solution of its tasks, for supervised warm-up (SFT) before RL.</summary>
public interface IDemonstrationSource
{
    /// <summary>
    /// A complete conversation solving <paramref name="task"/>: system instructions, the user turn(s), assistant tool calls,
    /// the tool results the real tools return, and the final answer in the environment's answer convention. The tools
    /// offered are set on the conversation. <paramref name="instructions"/> replaces the default system prompt ("" for none).
    /// </summary>
    Conversation Demonstration(EnvironmentTask task, string? instructions = null);
}
