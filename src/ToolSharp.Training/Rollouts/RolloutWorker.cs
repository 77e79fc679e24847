using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Episodes;
using ToolSharp.Environments.Tools;
using ToolSharp.Models;
using ToolSharp.Models.Generation;
using ToolSharp.Training.Metrics;
using ToolSharp.Training.Rendering;
using ToolSharp.Training.Sampling;

namespace ToolSharp.Training.Rollouts;

/// <summary>Multi-turn rollouts: several prompts × several samples in one batched generation session, tools executed
/// between turns, tool results appended as tokens (loss mask 0), the KV cache kept across turns.</summary>
/// <remarks>
/// Each prompt is rendered and prefilled once and forked into its samples. A turn ends at a stop token; if the turn
/// holds tool calls and limits allow, the calls run in that rollout's own episode and the rollout continues; otherwise
/// it ends and the episode scores the transcript. A turn whose tool-call text cannot be parsed ends the rollout
/// (the malformed call is recorded as a failed call; the scorer sees the text).
/// With ARPO settings a request's budget of M rollouts starts as N global samples; after each tool result the turn's
/// first k token entropies decide (<see cref="ArpoBranching.ShouldBranch"/>) whether Z branches restart that turn from
/// the same point, sharing the prefix's KV cache (a fork taken before the turn); branches start only from global
/// rollouts (one level), their episodes are rebuilt by replaying the parent's tool calls, and budget left at the end
/// is filled with further global samples.
/// </remarks>
public sealed class RolloutWorker(Transformer model, IRolloutRenderer renderer, IEnvironment environment, RolloutOptions options, Grpo.ArpoOptions? arpo = null)
{
    public RolloutOptions Options { get; } = options;

    public Grpo.ArpoOptions? Arpo { get; } = arpo;

    private sealed class Rollout
    {
        public required int Sequence;
        public required RolloutRequest Request;
        public required RequestState State;
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
        public int? BranchOf;
        public int SharedPrefix;
        public double? InitialEntropy;
        public readonly List<ToolCall> Calls = [];
    }

    private sealed class RequestState(RolloutRequest request)
    {
        public RolloutRequest Request { get; } = request;
        public int Budget;
        public int Next;
        public int Rounds;
    }

    /// <summary>Runs every request's rollouts together and returns trajectories grouped per request, in request order.</summary>
    public IReadOnlyList<IReadOnlyList<Trajectory>> Run(IReadOnlyList<RolloutRequest> requests, string? instructions, PhaseTimer timer, CancellationToken cancellation = default)
    {
        var session = new GenerationSession(model, Options.SamplingOrDefault);
        var toolOptions = new ToolExecutionOptions { MaxCalls = Options.MaxToolCalls };
        var rollouts = new List<Rollout>();
        var states = requests.Select(r => new RequestState(r) { Budget = r.Count }).ToList();
        void StartGlobal(RequestState state, int count)
        {
            var request = state.Request;
            var template = environment.CreateEpisode(request.Task, toolOptions);
            var opening = template.Start(instructions);
            var prompt = renderer.Prompt(opening);
            var root = session.Start(prompt, request.Seed + (ulong)state.Rounds * 1_000_003UL);
            var seeds = Enumerable.Range(0, count).Select(i => request.Seed + (ulong)(state.Next + i)).ToArray();
            var forks = session.Fork(root, seeds);
            session.Release(root);
            state.Rounds++;
            state.Budget -= count;
            for (var i = 0; i < forks.Length; i++)
            {
                var r = new Rollout
                {
                    Sequence = forks[i],
                    Request = request,
                    State = state,
                    GroupIndex = state.Next++,
                    Episode = i == 0 ? template : environment.CreateEpisode(request.Task, toolOptions),
                    Transcript = opening,
                    PromptLength = prompt.Length,
                };
                for (var t = 0; t < prompt.Length; t++) AddToken(r, 0, 0, 0, false);
                rollouts.Add(r);
            }
        }
        using (timer.Measure(PhaseTimer.Generation))
            foreach (var state in states) StartGlobal(state, Arpo is null ? state.Budget : Math.Min(Arpo.Global, state.Budget));

        var branchRng = new Core.Randomness.SeededRandom(requests.Count == 0 ? 0 : requests[0].Seed ^ 0xA5B0);
        var limits = new GenerationLimits(Options.MaxNewTokensPerTurn, renderer.StopTokens, MaxTotalLength: Options.MaxTotalTokens);
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            var active = rollouts.Where(r => r.Ending is null).ToList();
            if (active.Count == 0)
            {
                // ARPO: budget the branches did not use goes to further global samples.
                var refill = states.Where(st => st.Budget > 0).ToList();
                if (refill.Count == 0) break;
                using (timer.Measure(PhaseTimer.Generation))
                    foreach (var state in refill) StartGlobal(state, state.Budget);
                continue;
            }

            // ARPO: a fork taken before a post-tool turn, so branches can restart that turn from the same point.
            var shadows = new Dictionary<Rollout, (int Sequence, int Tokens, Conversation Transcript, int Turns)>();
            if (Arpo is not null)
                foreach (var r in active.Where(r => r.AfterTool && r.BranchOf is null && r.State.Budget > 0))
                    shadows[r] = (session.Fork(r.Sequence, [branchRng.NextUInt64()])[0], r.Mask.Count, r.Transcript, r.Turns);

            IReadOnlyList<GeneratedSegment> segments;
            using (timer.Measure(PhaseTimer.Generation))
                segments = session.Generate(active.Select(r => r.Sequence).ToList(), limits);

            for (var a = 0; a < active.Count; a++)
            {
                var r = active[a];
                var seg = segments[a];
                for (var t = 0; t < seg.Tokens.Length; t++) AddToken(r, 1, seg.LogProbs[t], seg.Entropies[t], r.AfterTool);
                if (Arpo is not null)
                {
                    var window = seg.Entropies.AsSpan(0, Math.Min(Arpo.EntropyWindow, seg.Entropies.Length));
                    var entropy = ArpoBranching.NormalisedMeanEntropy(window, renderer.VocabularySize);
                    r.InitialEntropy ??= entropy;
                    if (shadows.Remove(r, out var shadow))
                    {
                        var state = r.State;
                        if (state.Budget > 0 && ArpoBranching.ShouldBranch(entropy, r.InitialEntropy.Value, Arpo.Beta, Arpo.Tau, branchRng))
                        {
                            var z = Math.Min(Arpo.Branches, state.Budget);
                            state.Budget -= z;
                            var seeds = Enumerable.Range(0, z).Select(_ => branchRng.NextUInt64()).ToArray();
                            foreach (var sequence in session.Fork(shadow.Sequence, seeds))
                                rollouts.Add(Branch(r, sequence, state.Next++, shadow.Tokens, shadow.Transcript, shadow.Turns, toolOptions, cancellation));
                        }
                        session.Release(shadow.Sequence);
                    }
                }
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
                    r.Calls.AddRange(calls);
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
            foreach (var r in rollouts.Where(x => x.Request == request).OrderBy(x => x.GroupIndex))
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
                    BranchOf = r.BranchOf,
                    SharedPrefix = r.SharedPrefix,
                });
                session.Release(r.Sequence);
            }
            groups.Add(group);
        }
        return groups;
    }

    /// <summary>A branch of <paramref name="parent"/> restarting the turn after its latest tool result.</summary>
    private Rollout Branch(Rollout parent, int sequence, int groupIndex, int tokens, Conversation transcript, int turns, ToolExecutionOptions toolOptions, CancellationToken cancellation)
    {
        // Episodes hold tool state; replaying the parent's calls rebuilds it (tools are deterministic).
        var episode = environment.CreateEpisode(parent.Request.Task, toolOptions);
        foreach (var call in parent.Calls) episode.ExecuteAsync(call, cancellation).GetAwaiter().GetResult();
        var branch = new Rollout
        {
            Sequence = sequence,
            Request = parent.Request,
            State = parent.State,
            GroupIndex = groupIndex,
            Episode = episode,
            Transcript = transcript,
            PromptLength = parent.PromptLength,
            AfterTool = true,
            Turns = turns,
            BranchOf = parent.GroupIndex,
            SharedPrefix = tokens,
            InitialEntropy = parent.InitialEntropy,
            WellFormed = parent.WellFormed,
        };
        branch.Calls.AddRange(parent.Calls);
        for (var t = 0; t < tokens; t++) AddToken(branch, parent.Mask[t], parent.LogProbs[t], parent.Entropies[t], parent.PostTool[t]);
        return branch;
    }

    private static void AddToken(Rollout r, float mask, float logProb, float entropy, bool postTool)
    {
        r.Mask.Add(mask);
        r.LogProbs.Add(logProb);
        r.Entropies.Add(entropy);
        r.PostTool.Add(postTool);
    }
}
