using System.Diagnostics;
using ToolSharp.Core.Messages;
using ToolSharp.Environments.Episodes;

namespace ToolSharp.Evaluation.Agent;

/// <summary>Runs one episode with a turn-at-a-time policy (an endpoint, an <c>IChatClient</c>): the policy answers each
/// turn, the <see cref="EpisodeDriver"/> applies the episode rules, and every step is recorded.</summary>
/// <remarks>
/// The driver keeps the full transcript; the policy is shown <see cref="AgentSettings.View"/> of it each turn, so the
/// history policy and multi-turn construction are the only things that change what the model sees. Built-in models
/// run whole batches of episodes through the same driver (ToolSharp.Inference), so both paths end, execute and score
/// episodes by the same rules.
/// </remarks>
public static class AgentLoop
{
    public static async Task<EpisodeRecord> RunAsync(IEnvironment environment, EnvironmentTask task, IPolicy policy, AgentSettings settings, CancellationToken cancellationToken = default) =>
        await RunAsync(EpisodeDriver.Start(environment, task, settings.Limits, settings.Instructions), policy, settings, cancellationToken).ConfigureAwait(false);

    public static async Task<EpisodeRecord> RunAsync(EpisodeDriver driver, IPolicy policy, AgentSettings settings, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var steps = new List<StepRecord>();
        Conversation? previousView = null;
        Message? previousReply = null;
        while (!driver.IsFinished)
        {
            var view = settings.View.Apply(driver.Transcript);
            var request = new PolicyRequest(view, settings.Sampling, settings.Format, driver.Turns);
            var reply = await policy.NextAsync(request, cancellationToken).ConfigureAwait(false);
            var toolClock = Stopwatch.StartNew();
            var outcome = await driver.SubmitAsync(new ModelTurn(reply.Message, reply.ParseErrors, reply.RawText, reply.FinishReason == "length" ? EpisodeEnding.MaxTokens : null), cancellationToken).ConfigureAwait(false);
            toolClock.Stop();

            var calls = reply.Message.ToolCalls;
            steps.Add(new StepRecord
            {
                Turn = request.Turn,
                PromptTokens = reply.PromptTokens ?? Efficiency.EstimateTokens(request.Visible),
                CompletionTokens = reply.CompletionTokens ?? Efficiency.EstimateTokens(reply.RawText ?? reply.Message.Content) + calls.Sum(c => Efficiency.EstimateTokens(c.Name + c.ArgumentsJson)),
                TokensEstimated = reply.PromptTokens is null || reply.CompletionTokens is null,
                PrefixReused = previousView is not null && Efficiency.ExtendsPrefix(previousView, previousReply!, view),
                CachedPromptTokens = reply.CachedPromptTokens,
                Text = reply.RawText ?? reply.Message.Content,
                Calls = outcome.Calls,
                FinishReason = reply.FinishReason,
                ModelMilliseconds = reply.Latency.TotalMilliseconds,
                ToolMilliseconds = toolClock.Elapsed.TotalMilliseconds,
                Attempts = reply.Attempts,
                Endpoint = reply.Endpoint,
            });
            previousView = view;
            previousReply = reply.Message;
        }
        return EpisodeRecord.From(driver, steps, clock.Elapsed);
    }
}
