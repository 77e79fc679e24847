using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;

namespace ToolSharp.Environments.Episodes;

/// <summary>What the driver did with one assistant turn: the calls it ran and what the model sees next.</summary>
/// <param name="Next">Another assistant turn after tool results, the next user turn, or the end.</param>
/// <param name="Results">The tool results appended to the conversation (empty unless <see cref="TurnNext.ToolResults"/>).</param>
/// <param name="UserMessages">The user turn's opening messages appended (only with <see cref="TurnNext.UserTurn"/>).</param>
/// <param name="Calls">Every call of the turn, in order: run, refused, or not run.</param>
public sealed record TurnOutcome(TurnNext Next, IReadOnlyList<ToolResult> Results, IReadOnlyList<Message> UserMessages, IReadOnlyList<CallOutcome> Calls);
