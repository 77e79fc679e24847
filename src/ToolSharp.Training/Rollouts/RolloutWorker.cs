using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Episodes;
using ToolSharp.Environments.Tools;
using ToolSharp.Models;
using ToolSharp.Models.Generation;
using ToolSharp.Training.Metrics;
using ToolSharp.Training.Rendering;

namespace ToolSharp.Training.Rollouts;

/// <summary>Multi-turn rollouts: several prompts × several samples in one batched generation session, tools executed
/// between turns, tool results appended as tokens (loss mask 0), the KV cache kept across turns.</summary>
/// <remarks>
/// Each prompt is rendered and prefilled once and forked into its samples. A turn ends at a stop token; if the turn
/// holds tool calls and limits allow, the calls run in that rollout's own episode and the rollout continues; otherwise
/// it ends and the episode scores the transcript. A turn whose tool-call text cannot be parsed ends the rollout
/// (the malformed call is recorded as a failed call; the scorer sees the text).
/// </remarks>
public sealed class RolloutWorker(Transformer model, IRolloutRenderer renderer, IEnvironment environment, RolloutOptions options)
{
    public RolloutOptions Options { get; } = options;

    private sealed class Rollout
    {
        public required int Sequence;
        public required RolloutRequest Request;
        public required int GroupIndex;
        public required Episode Episode;
        public required Conversation Transcript;
        public required int PromptLength;
        public readonly List<float> Mask = [];
        public readonly List<float> LogProbs = [];
        public readonly List<float> Entropies = [];
        public readonly List<bool> PostTool = [];
        public bool AfterTool;
        public int Turns;
        public bool WellFormed = true;
        public int MalformedCalls;
        public string? Ending;
    }

    /// <summary>Runs every request's rollouts together and returns trajectories grouped per request, in request order.</summary>
    public IReadOnlyList<IReadOnlyList<Trajectory>> Run(IReadOnlyList<RolloutRequest> requests, string? instructions, PhaseTimer timer, CancellationToken cancellation = default)
    {
        var session = new GenerationSession(model, Options.SamplingOrDefault);
        var toolOptions = new ToolExecutionOptions { MaxCalls = Options.MaxToolCalls };
        var rollouts = new List<Rollout>();
        using (timer.Measure(PhaseTimer.Generation))
        {
            foreach (var request in requests)
            {
                var template = environment.CreateEpisode(request.Task, toolOptions);
                var opening = template.Start(instructions);
                var prompt = renderer.Prompt(opening);
                var root = session.Start(prompt, request.Seed);
                var seeds = Enumerable.Range(0, request.Count).Select(i => request.Seed + (ulong)i).ToArray();
                var forks = session.Fork(root, seeds);
                session.Release(root);
                for (var i = 0; i < forks.Length; i++)
                {
                    var r = new Rollout
                    {
                        Sequence = forks[i],
                        Request = request,
                        GroupIndex = i,
                        Episode = i == 0 ? template : environment.CreateEpisode(request.Task, toolOptions),
                        Transcript = opening,
                        PromptLength = prompt.Length,
                    };
                    for (var t = 0; t < prompt.Length; t++) AddToken(r, 0, 0, 0, false);
                    rollouts.Add(r);
                }
            }
        }

        var limits = new GenerationLimits(Options.MaxNewTokensPerTurn, renderer.StopTokens, MaxTotalLength: Options.MaxTotalTokens);
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            var active = rollouts.Where(r => r.Ending is null).ToList();
            if (active.Count == 0) break;
            IReadOnlyList<GeneratedSegment> segments;
            using (timer.Measure(PhaseTimer.Generation))
                segments = session.Generate(active.Select(r => r.Sequence).ToList(), limits);

            for (var a = 0; a < active.Count; a++)
            {
                var r = active[a];
                var seg = segments[a];
                for (var t = 0; t < seg.Tokens.Length; t++) AddToken(r, 1, seg.LogProbs[t], seg.Entropies[t], r.AfterTool);
                r.AfterTool = false;
                r.Turns++;
                var parsed = renderer.Parse(seg.Tokens, r.Episode.ToolSpecs);
                r.Transcript = r.Transcript.Append(parsed.ToAssistantMessage());
                if (!parsed.IsSuccess)
                {
                    r.WellFormed = false;
                    r.MalformedCalls++;
                    r.Ending = "malformed";
                    continue;
                }
                if (parsed.Calls.Count == 0)
                {
                    r.Ending = seg.StopReason == StopReason.StopToken ? "answer" : "max_tokens";
                    continue;
                }
                if (seg.StopReason is StopReason.MaxLength or StopReason.MaxNewTokens) { r.Ending = "max_tokens"; continue; }
                if (r.Turns >= Options.MaxTurns) { r.Ending = "max_turns"; continue; }
                if (r.Episode.ToolCalls.Count + parsed.Calls.Count > Options.MaxToolCalls) { r.Ending = "tool_budget"; continue; }

                var results = new List<ToolResult>();
                using (timer.Measure(PhaseTimer.Tools))
                {
                    var calls = parsed.Calls.Select((c, i) => c.Id is null ? c.WithId($"call_{r.Turns}_{i}") : c).ToList();
                    r.Transcript = r.Transcript.WithMessages([.. r.Transcript.Messages.Take(r.Transcript.Messages.Count - 1), parsed.ToAssistantMessage() with { ToolCalls = calls }]);
                    foreach (var call in calls) results.Add(r.Episode.ExecuteAsync(call, cancellation).GetAwaiter().GetResult());
                }
                r.Transcript = r.Transcript.Append(results.Select(Message.FromToolResult));
                var toolTokens = renderer.ToolTurn(results);
                if (r.Mask.Count + toolTokens.Length >= Options.MaxTotalTokens) { r.Ending = "max_tokens"; continue; }
                session.Append(r.Sequence, toolTokens);
                foreach (var _ in toolTokens) AddToken(r, 0, 0, 0, false);
                r.AfterTool = true;
            }
        }

        var groups = new List<IReadOnlyList<Trajectory>>();
        foreach (var request in requests)
        {
            var group = new List<Trajectory>();
            foreach (var r in rollouts.Where(x => x.Request == request))
            {
                var tokens = session.Tokens(r.Sequence).ToArray();
                if (tokens.Length != r.Mask.Count)
                    throw new InvalidOperationException($"rollout bookkeeping drifted: {tokens.Length} tokens but {r.Mask.Count} mask entries");
                var log = r.Episode.ToolCalls;
                group.Add(new Trajectory
                {
                    PromptId = request.Task.Id,
                    GroupIndex = r.GroupIndex,
                    PromptLength = r.PromptLength,
                    Tokens = tokens,
                    LossMask = [.. r.Mask],
                    OldLogProbs = [.. r.LogProbs],
                    Entropies = [.. r.Entropies],
                    PostTool = [.. r.PostTool],
                    Transcript = r.Transcript,
                    Score = r.Episode.Score(r.Transcript),
                    ToolCalls = log.Count + r.MalformedCalls,
                    FailedToolCalls = log.FailedCount + r.MalformedCalls,
                    Turns = r.Turns,
                    Ending = r.Ending!,
                    WellFormed = r.WellFormed,
                });
                session.Release(r.Sequence);
            }
            groups.Add(group);
        }
        return groups;
    }

    private static void AddToken(Rollout r, float mask, float logProb, float entropy, bool postTool)
    {
        r.Mask.Add(mask);
        r.LogProbs.Add(logProb);
        r.Entropies.Add(entropy);
        r.PostTool.Add(postTool);
    }
}
