using System.Diagnostics;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Environments.Episodes;

/// <summary>The one set of episode rules: owns the conversation, the user turns, tool execution, budgets and caps, and
/// decides how an episode ends. Evaluation and RL only supply assistant turns to it.</summary>
/// <remarks>
/// <para>The rules, in the order they apply to a submitted turn:</para>
/// <list type="number">
/// <item>A turn cut by its token limit or the context ends the episode (<see cref="EpisodeEnding.MaxTokens"/>,
/// <see cref="EpisodeEnding.ContextFull"/>); its calls do not run.</item>
/// <item>At the environment's per-user-turn response limit (<see cref="Episode.MaxAssistantTurns"/>, BFCL single-turn: 1)
/// the turn's calls are recorded but not run, and the episode moves on to the next user turn
/// (<see cref="EpisodeEnding.TurnLimit"/> when this was the last one and the turn still called tools).</item>
/// <item>A turn without calls answers the current user turn: the next user message follows, or the episode ends
/// (<see cref="EpisodeEnding.Answered"/>).</item>
/// <item>Calls run in the order written, each through the episode's <see cref="ToolExecutor"/>; a call the model
/// wrote but the parser could not read costs a call and is answered with its error, like any tool error, so the
/// model can repair it.</item>
/// <item>A call past the budget is refused and ends the episode (<see cref="EpisodeEnding.ToolBudget"/>); calls
/// within it ran.</item>
/// <item>After the last allowed assistant turn the episode ends (<see cref="EpisodeEnding.MaxTurns"/>); that turn's
/// calls ran, so stateful environments score their effect.</item>
/// </list>
/// <para>One driver serves one episode and is not thread-safe. <see cref="Fork"/> copies one at its current point by
/// replaying its calls in a fresh episode (tools are deterministic), for branching rollouts.</para>
/// </remarks>
public sealed class EpisodeDriver
{
    private readonly Func<Episode> _newEpisode;
    private readonly List<(int UserTurn, IReadOnlyList<ToolCall> Calls)> _executed = [];
    private int _turnsThisUserTurn;

    private EpisodeDriver(Func<Episode> newEpisode, Episode episode, EpisodeLimits limits, Conversation transcript)
    {
        _newEpisode = newEpisode;
        Episode = episode;
        Limits = limits;
        Transcript = transcript;
    }

    /// <summary>Starts an episode of <paramref name="task"/>: limits from <paramref name="limits"/>, else the
    /// environment's for the task; the system prompt <paramref name="instructions"/> (null: the environment's default, "": none).</summary>
    public static EpisodeDriver Start(IEnvironment environment, EnvironmentTask task, EpisodeLimits? limits = null, string? instructions = null)
    {
        var resolved = limits ?? environment.Limits(task);
        var options = new ToolExecutionOptions { MaxCalls = resolved.MaxToolCalls };
        Episode NewEpisode() => environment.CreateEpisode(task, options);
        var episode = NewEpisode();
        return new EpisodeDriver(NewEpisode, episode, resolved, episode.Start(instructions));
    }

    public Episode Episode { get; private set; }

    public EpisodeLimits Limits { get; }

    /// <summary>The whole conversation so far, before any history policy or multi-turn construction.</summary>
    public Conversation Transcript { get; private set; }

    /// <summary>Assistant turns submitted so far.</summary>
    public int Turns { get; private set; }

    /// <summary>The 0-based user turn being answered.</summary>
    public int UserTurn { get; private set; }

    /// <summary>Calls the model wrote that could not be read.</summary>
    public int MalformedCalls { get; private set; }

    /// <summary>Set once the episode is over.</summary>
    public EpisodeEnding? Ending { get; private set; }

    public bool IsFinished => Ending is not null;

    /// <summary>Applies the rules to one assistant turn (see the remarks) and says what comes next.</summary>
    public async Task<TurnOutcome> SubmitAsync(ModelTurn turn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (IsFinished) throw new InvalidOperationException($"the episode of {Episode.Task.Id} is over ({Ending!.Value.WireName()}); no further turn can be submitted");
        var index = Turns++;
        _turnsThisUserTurn++;
        var calls = turn.Message.ToolCalls.Select((c, i) => c.Id is null ? c.WithId($"call_{index}_{i}") : c).ToList();
        Transcript = Transcript.Append(turn.Message with { ToolCalls = calls });
        var hasCalls = calls.Count > 0 || turn.ParseErrors.Count > 0;

        if (turn.Cut is { } cut)
        {
            if (cut is not (EpisodeEnding.MaxTokens or EpisodeEnding.ContextFull)) throw new ArgumentException($"a turn is cut by its token limit or the context, not by {cut}", nameof(turn));
            return Finish(cut, NotRun(calls, turn));
        }

        if (Episode.MaxAssistantTurns is { } cap && _turnsThisUserTurn >= cap)
        {
            var notRun = NotRun(calls, turn);
            MalformedCalls += turn.ParseErrors.Count;
            return NextUserTurn(hasCalls ? EpisodeEnding.TurnLimit : EpisodeEnding.Answered, notRun);
        }

        if (!hasCalls) return NextUserTurn(EpisodeEnding.Answered, []);
        if (Episode.Stepwise is { } steps) return await StepAsync(steps, calls, turn, index).ConfigureAwait(false);

        var results = new List<ToolResult>();
        var outcomes = new List<CallOutcome>();
        foreach (var call in calls)
        {
            var clock = Stopwatch.StartNew();
            var result = await Episode.ExecuteAsync(call, cancellationToken).ConfigureAwait(false);
            _executed.Add((UserTurn, [call]));
            results.Add(result);
            outcomes.Add(new CallOutcome(call.Name, call.ArgumentsJson, result.Content, result.Error?.KindName, clock.Elapsed.TotalMilliseconds));
        }
        foreach (var error in turn.ParseErrors)
        {
            var placeholder = new ToolCall("", JsonValues.EmptyObject, $"call_{index}_malformed_{MalformedCalls}");
            var result = Episode.Executor.RecordFailure(placeholder, error);
            results.Add(result);
            outcomes.Add(new CallOutcome("", turn.RawText ?? "", result.Content, error.KindName, 0));
            MalformedCalls++;
        }
        Transcript = Transcript.Append(results.Select(Message.FromToolResult));

        if (results.Any(r => r.Error?.Kind == ToolCallErrorKind.BudgetExceeded)) return Finish(EpisodeEnding.ToolBudget, outcomes);
        if (Turns >= Limits.MaxTurns) return Finish(EpisodeEnding.MaxTurns, outcomes);
        return new TurnOutcome(TurnNext.ToolResults, results, [], outcomes);
    }

    /// <summary>The environment's own rules: the response's calls run as one step; an unreadable or undecodable response ends the user turn.</summary>
    private Task<TurnOutcome> StepAsync(IStepwiseTools steps, IReadOnlyList<ToolCall> calls, ModelTurn turn, int index)
    {
        var clock = Stopwatch.StartNew();
        var results = turn.ParseErrors.Count > 0 ? null : steps.RunStep(calls);
        if (results is null)
        {
            MalformedCalls += turn.ParseErrors.Count;
            return Task.FromResult(NextUserTurn(EpisodeEnding.Answered, NotRun(calls, turn)));
        }
        if (results.Count != calls.Count) throw new InvalidOperationException($"{Episode.Task.Id}: the environment answered {calls.Count} calls with {results.Count} results");
        var each = clock.Elapsed / Math.Max(1, calls.Count);
        var outcomes = new List<CallOutcome>();
        for (var i = 0; i < calls.Count; i++)
        {
            var result = results[i] with { CallId = calls[i].Id };
            Episode.Executor.Record(calls[i], result, each);
            outcomes.Add(new CallOutcome(calls[i].Name, calls[i].ArgumentsJson, result.Content, result.Error?.KindName, each.TotalMilliseconds));
            results = [.. results.Take(i), result, .. results.Skip(i + 1)];
        }
        _executed.Add((UserTurn, calls));
        Transcript = Transcript.Append(results.Select(Message.FromToolResult));
        if (steps.Stopped) return Task.FromResult(Finish(EpisodeEnding.StepLimit, outcomes));
        if (Turns >= Limits.MaxTurns) return Task.FromResult(Finish(EpisodeEnding.MaxTurns, outcomes));
        return Task.FromResult(new TurnOutcome(TurnNext.ToolResults, results, [], outcomes));
    }

    /// <summary>Ends the episode for a reason the caller detected (the conversation no longer fits the context).</summary>
    public void Stop(EpisodeEnding ending)
    {
        if (!IsFinished) Ending = ending;
    }

    /// <summary>Scores the transcript (and, for stateful environments, the episode's final state).</summary>
    public EpisodeScore Score() => Episode.Score(Transcript);

    /// <summary>A copy of this driver at its current point, with its own episode rebuilt by replaying the calls run so far.</summary>
    public async Task<EpisodeDriver> ForkAsync(CancellationToken cancellationToken = default)
    {
        var episode = _newEpisode();
        if (episode.Stepwise is { } steps)
        {
            var turn = 0;
            steps.BeginUserTurn(0);
            foreach (var (userTurn, calls) in _executed)
            {
                while (turn < userTurn) steps.BeginUserTurn(++turn);
                foreach (var (call, result) in calls.Zip(steps.RunStep(calls) ?? throw new InvalidOperationException("a replayed step could not be decoded")))
                    episode.Executor.Record(call, result);
            }
            while (turn < UserTurn) steps.BeginUserTurn(++turn);
        }
        else
        {
            foreach (var (_, calls) in _executed)
                foreach (var call in calls) await episode.ExecuteAsync(call, cancellationToken).ConfigureAwait(false);
        }
        var copy = new EpisodeDriver(_newEpisode, episode, Limits, Transcript)
        {
            Turns = Turns,
            UserTurn = UserTurn,
            MalformedCalls = MalformedCalls,
            Ending = Ending,
            _turnsThisUserTurn = _turnsThisUserTurn,
        };
        copy._executed.AddRange(_executed);
        return copy;
    }

    /// <summary>Synchronous <see cref="ForkAsync"/> for callers on the generation thread.</summary>
    public EpisodeDriver Fork() => ForkAsync().GetAwaiter().GetResult();

    private TurnOutcome NextUserTurn(EpisodeEnding endingIfLast, IReadOnlyList<CallOutcome> calls)
    {
        if (UserTurn + 1 >= Episode.UserTurnCount) return Finish(endingIfLast, calls);
        if (Turns >= Limits.MaxTurns) return Finish(EpisodeEnding.MaxTurns, calls);
        UserTurn++;
        _turnsThisUserTurn = 0;
        var messages = Episode.UserMessages(UserTurn);
        Episode.Stepwise?.BeginUserTurn(UserTurn);
        Transcript = Transcript.Append(messages).WithTools(Episode.ToolsAt(UserTurn));
        return new TurnOutcome(TurnNext.UserTurn, [], messages, calls);
    }

    private TurnOutcome Finish(EpisodeEnding ending, IReadOnlyList<CallOutcome> calls)
    {
        Ending = ending;
        return new TurnOutcome(TurnNext.Finished, [], [], calls);
    }

    private static List<CallOutcome> NotRun(IReadOnlyList<ToolCall> calls, ModelTurn turn) =>
        [.. calls.Select(c => new CallOutcome(c.Name, c.ArgumentsJson, "", null, 0)), .. turn.ParseErrors.Select(e => new CallOutcome("", turn.RawText ?? "", "", e.KindName, 0))];
}
