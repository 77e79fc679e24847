using System.Text.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Environments.Episodes;

/// <summary>One attempt at one task: the tools (bound to this episode's state), the call log and budget, and the scorer.</summary>
/// <remarks>
/// An agent loop uses it like this: <see cref="Start"/> gives the opening conversation; each assistant tool call goes
/// through <see cref="ExecuteAsync"/>; when the assistant answers without calls and <see cref="UserTurnCount"/> has more
/// turns, <see cref="UserMessages"/> supplies the next one; at the end <see cref="Score"/> rates the transcript (and the
/// final state, for stateful environments). An episode is not thread-safe; different episodes are independent.
/// </remarks>
public sealed class Episode
{
    private readonly IEpisodeScorer _scorer;

    public Episode(
        EnvironmentTask task,
        ToolRegistry tools,
        IEpisodeScorer scorer,
        string defaultInstructions,
        ToolExecutionOptions? options = null,
        IEpisodeState? state = null,
        int? maxAssistantTurns = null,
        IStepwiseTools? stepwise = null)
    {
        Task = task ?? throw new ArgumentNullException(nameof(task));
        _scorer = scorer ?? throw new ArgumentNullException(nameof(scorer));
        DefaultInstructions = defaultInstructions ?? "";
        Executor = new ToolExecutor(tools ?? throw new ArgumentNullException(nameof(tools)), options);
        ToolSpecs = tools.Specs;
        State = state;
        MaxAssistantTurns = maxAssistantTurns;
        Stepwise = stepwise;
    }

    /// <summary>The environment's own turn rules (BFCL multi-turn), or null for the generic ones.</summary>
    public IStepwiseTools? Stepwise { get; }

    public EnvironmentTask Task { get; }

    /// <summary>Runs this episode's tool calls under its limits.</summary>
    public ToolExecutor Executor { get; }

    /// <summary>The tools offered to the model.</summary>
    public IReadOnlyList<ToolSpec> ToolSpecs { get; }

    /// <summary>Every tool call so far with its outcome (see <see cref="ToolCallLog.AllFailed"/>).</summary>
    public ToolCallLog ToolCalls => Executor.Log;

    /// <summary>The backend state for stateful environments; null otherwise.</summary>
    public IEpisodeState? State { get; }

    public string DefaultInstructions { get; }

    /// <summary>
    /// Assistant messages allowed per user turn, when the task fixes it (BFCL scores the first response only, so 1);
    /// null leaves the limit to the agent loop.
    /// </summary>
    public int? MaxAssistantTurns { get; }

    public int UserTurnCount => Task.UserTurns.Count;

    /// <summary>The messages that open user turn <paramref name="turn"/> (0-based): the task's text, or the environment's own.</summary>
    public IReadOnlyList<Message> UserMessages(int turn) => Stepwise?.MessagesOf(turn) ?? [Message.User(Task.UserTurns[turn])];

    /// <summary>The tools offered during user turn <paramref name="turn"/>.</summary>
    public IReadOnlyList<ToolSpec> ToolsAt(int turn) => Stepwise?.ToolsAt(turn) ?? ToolSpecs;

    /// <summary>The opening conversation: the system prompt (the default, another text, or none for "") and the first user turn, with the tools set.</summary>
    public Conversation Start(string? instructions = null)
    {
        var text = instructions ?? DefaultInstructions;
        List<Message> messages = text.Length > 0 ? [Message.System(text)] : [];
        messages.AddRange(UserMessages(0));
        Stepwise?.BeginUserTurn(0);
        return new Conversation(messages, ToolsAt(0));
    }

    /// <summary>Executes one tool call of the model (limits, validation, recording included).</summary>
    public Task<ToolResult> ExecuteAsync(ToolCall call, CancellationToken cancellationToken = default) =>
        Executor.ExecuteAsync(call, cancellationToken);

    /// <summary>Scores the finished transcript.</summary>
    public EpisodeScore Score(Conversation transcript) => _scorer.Score(Task, transcript ?? throw new ArgumentNullException(nameof(transcript)));

    /// <summary>The state snapshot, or null for stateless episodes.</summary>
    public JsonElement? StateSnapshot() => State?.Snapshot();
}
