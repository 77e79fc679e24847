using System.Diagnostics;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Episodes;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Evaluation.Agent;

/// <summary>Runs one episode: task → system prompt and user turn → model turn → tool calls → results → … → score,
/// recording every step.</summary>
/// <remarks>
/// The loop keeps the full transcript and shows the model <see cref="AgentSettings.View"/> of it each turn, so the
/// history policy and multi-turn construction are the only things that change what the model sees. Calls of one turn
/// run in the order written: environments with state (memory, budgets) are not thread-safe, and order-dependent
/// results must be reproducible. A call the model wrote but the parser could not read is recorded as a failed call
/// (it counts against the budget) and its error is shown to the model, like any other tool error.
/// </remarks>
public static class AgentLoop
{
    public static async Task<EpisodeRecord> RunAsync(IEnvironment environment, EnvironmentTask task, IPolicy policy, AgentSettings settings, CancellationToken cancellationToken = default)
    {
        var options = new ToolExecutionOptions { MaxCalls = settings.MaxToolCalls };
        var episode = environment.CreateEpisode(task, options);
        return await RunAsync(episode, policy, settings, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<EpisodeRecord> RunAsync(Episode episode, IPolicy policy, AgentSettings settings, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var transcript = episode.Start(settings.Instructions);
        var steps = new List<StepRecord>();
        var malformed = 0;
        var turn = 0;
        var ending = "answer";
        Conversation? previousView = null;
        Message? previousReply = null;

        for (var userTurn = 0; userTurn < episode.UserTurnCount; userTurn++)
        {
            if (userTurn > 0) transcript = transcript.Append(episode.UserMessage(userTurn));
            var assistantTurns = 0;
            while (true)
            {
                if (turn >= settings.MaxTurns) { ending = "max_turns"; goto done; }
                var view = settings.View.Apply(transcript);
                var request = new PolicyRequest(view, settings.Sampling, settings.Format, turn);
                var reply = await policy.NextAsync(request, cancellationToken).ConfigureAwait(false);
                assistantTurns++;

                var calls = reply.Message.ToolCalls.Select((c, i) => c.Id is null ? c.WithId($"call_{turn}_{i}") : c).ToList();
                var message = reply.Message with { ToolCalls = calls };
                transcript = transcript.Append(message);

                var toolSteps = new List<ToolStep>();
                var toolClock = Stopwatch.StartNew();
                var results = new List<ToolResult>();
                var stopForTurnLimit = episode.MaxAssistantTurns is { } cap && assistantTurns >= cap;
                if (!stopForTurnLimit)
                {
                    foreach (var call in calls)
                    {
                        var callClock = Stopwatch.StartNew();
                        var result = await episode.ExecuteAsync(call, cancellationToken).ConfigureAwait(false);
                        results.Add(result);
                        toolSteps.Add(new ToolStep(call.Name, call.ArgumentsJson, result.Content, result.Error?.KindName, callClock.Elapsed.TotalMilliseconds));
                    }
                    foreach (var error in reply.ParseErrors)
                    {
                        // The unreadable call still costs a call and the model is told what was wrong, as a real tool API would.
                        var placeholder = new ToolCall("", JsonValues.EmptyObject, $"call_{turn}_malformed_{malformed}");
                        var result = episode.Executor.RecordFailure(placeholder, error);
                        results.Add(result);
                        toolSteps.Add(new ToolStep("", reply.RawText ?? "", result.Content, error.KindName, 0));
                        malformed++;
                    }
                }
                else
                {
                    foreach (var call in calls) toolSteps.Add(new ToolStep(call.Name, call.ArgumentsJson, "", null, 0));
                    foreach (var error in reply.ParseErrors) { toolSteps.Add(new ToolStep("", reply.RawText ?? "", "", error.KindName, 0)); malformed++; }
                }
                toolClock.Stop();

                var estimated = reply.PromptTokens is null || reply.CompletionTokens is null;
                steps.Add(new StepRecord
                {
                    Turn = turn,
                    PromptTokens = reply.PromptTokens ?? Efficiency.EstimateTokens(request.PromptMode ? PromptModeConversation.Prepare(view, request.Format!) : view),
                    CompletionTokens = reply.CompletionTokens ?? Efficiency.EstimateTokens(reply.RawText ?? reply.Message.Content) + calls.Sum(c => Efficiency.EstimateTokens(c.Name + c.ArgumentsJson)),
                    TokensEstimated = estimated,
                    PrefixReused = previousView is not null && Efficiency.ExtendsPrefix(previousView, previousReply!, view),
                    CachedPromptTokens = reply.CachedPromptTokens,
                    Text = reply.RawText ?? reply.Message.Content,
                    Calls = toolSteps,
                    FinishReason = reply.FinishReason,
                    ModelMilliseconds = reply.Latency.TotalMilliseconds,
                    ToolMilliseconds = toolClock.Elapsed.TotalMilliseconds,
                    Attempts = reply.Attempts,
                    Endpoint = reply.Endpoint,
                });
                previousView = view;
                previousReply = message;
                turn++;

                if (stopForTurnLimit) { if (userTurn == episode.UserTurnCount - 1 && (calls.Count > 0 || reply.ParseErrors.Count > 0)) ending = "turn_limit"; break; }
                if (results.Count == 0) break;
                transcript = transcript.Append(results.Select(Message.FromToolResult));
                // The model may still answer after its last allowed call; a call past the budget ends the episode.
                if (results.Any(r => r.Error?.Kind == ToolCallErrorKind.BudgetExceeded)) { ending = "tool_budget"; goto done; }
            }
        }

    done:
        var score = episode.Score(transcript);
        var log = episode.ToolCalls;
        return new EpisodeRecord
        {
            TaskId = episode.Task.Id,
            Split = episode.Task.Split,
            Reward = score.Reward,
            Correct = score.Correct,
            Expected = score.Expected,
            Got = score.Got,
            Details = score.Details,
            Ending = ending,
            Turns = turn,
            ToolCalls = steps.Sum(s => s.Calls.Count),
            FailedToolCalls = log.FailedCount,
            MalformedCalls = malformed,
            PromptTokens = steps.Sum(s => (long)s.PromptTokens),
            CompletionTokens = steps.Sum(s => (long)s.CompletionTokens),
            UncachedPromptTokens = Efficiency.UncachedPromptTokens(steps),
            TokensEstimated = steps.Any(s => s.TokensEstimated),
            LatencyMilliseconds = clock.Elapsed.TotalMilliseconds,
            Steps = steps,
            TranscriptJson = OpenAiChatJson.ToJson(transcript),
        };
    }
}
