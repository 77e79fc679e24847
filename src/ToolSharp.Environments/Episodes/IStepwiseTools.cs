using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;

namespace ToolSharp.Environments.Episodes;

/// <summary>An environment's own way of running an episode's turns, for benchmarks whose rules the generic ones do not
/// cover (BFCL multi-turn): each assistant response's calls run as one step on the environment's backends, with its
/// result texts; the tools and the opening messages can change from one user turn to the next; the environment may
/// stop the episode itself.</summary>
/// <remarks>When an episode has one, the <see cref="EpisodeDriver"/> hands it every response's calls together instead of
/// running them one by one through the executor (no schema check, no budget of its own), and a response it cannot
/// decode as calls — or whose call text could not be read — ends the user turn as an answer would.</remarks>
public interface IStepwiseTools
{
    /// <summary>The messages that open user turn <paramref name="userTurn"/>.</summary>
    IReadOnlyList<Message> MessagesOf(int userTurn);

    /// <summary>The tools offered during user turn <paramref name="userTurn"/>.</summary>
    IReadOnlyList<ToolSpec> ToolsAt(int userTurn);

    /// <summary>Called when user turn <paramref name="userTurn"/> begins (turn 0 when the episode starts).</summary>
    void BeginUserTurn(int userTurn);

    /// <summary>Runs one response's calls as one step; one result per call, or null when they cannot be decoded (the
    /// user turn then ends and nothing ran).</summary>
    IReadOnlyList<ToolResult>? RunStep(IReadOnlyList<ToolCall> calls);

    /// <summary>True once the environment has stopped the episode (BFCL: more steps in one turn than it allows).</summary>
    bool Stopped { get; }
}
