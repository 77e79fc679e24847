using ToolSharp.Core.Diagnostics;
using ToolSharp.Core.Errors;
using ToolSharp.Core.Formats;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Randomness;
using ToolSharp.Environments.Episodes;
using ToolSharp.Inference.Rendering;
using ToolSharp.Models;
using ToolSharp.Models.Generation;

namespace ToolSharp.Inference.Rollouts;

/// <summary>Multi-turn episodes on the built-in engine, many at once: each rollout's <see cref="EpisodeDriver"/> applies
/// the episode rules, the worker supplies its assistant turns from one batched generation session. RL's rollouts and
/// validation and the evaluation of built-in models all run here.</summary>
/// <remarks>
/// <para>Each request's prompt is rendered and prefilled once and forked into its rollouts (shared KV cache). A turn
/// ends at a stop token; the driver then runs its calls or moves to the next user turn, and the renderer's
/// <see cref="IRolloutRenderer.Continuation"/> tokens (tool results or the user message, then the next generation
/// prompt) are appended with loss mask 0 — model text is never re-tokenised. When the settings' view is not
/// append-only (another history policy, the packed construction, prompt mode) the prompt is rendered from the view
/// each turn instead, and a sequence continues from its cache only where the new prompt extends it; where it does not,
/// the sequence restarts from the new prompt and the rollout records a new <see cref="RolloutSegment"/>, so every
/// rollout is a token-level record of exactly what the model was fed, segment by segment.</para>
/// <para>Requests run in waves of at most <see cref="RolloutSettings.MaxSequences"/> rollouts (requests are not split), in
/// request order. Sampling seeds derive from each request's seed, so a rollout's tokens do not depend on the waves.</para>
/// <para>With <see cref="RolloutSettings.Branching"/> a request's budget of M rollouts starts as N global samples; after each
/// tool result the turn's first k token entropies decide (<see cref="EntropyBranching.ShouldBranch"/>) whether Z
/// branches restart that turn from the same point, sharing the prefix's KV cache (a fork taken before the turn);
/// branches start only from global rollouts (one level), their drivers are forks of the parent's, and budget left
/// at the end goes to further global samples.</para>
/// </remarks>
public sealed class RolloutWorker(Func<SamplingOptions, IGenerationSession> sessions, IRolloutRenderer renderer, IEnvironment environment, RolloutSettings settings)
{
    /// <summary>Rollouts of <paramref name="model"/> on the engine.</summary>
    public RolloutWorker(Transformer model, IRolloutRenderer renderer, IEnvironment environment, RolloutSettings settings)
        : this(sampling => new GenerationSession(model, sampling), renderer, environment, settings)
    {
    }

    public RolloutSettings Settings { get; } = settings;

    private sealed class Live
    {
        public required int Sequence;
        public required RolloutRequest Request;
        public required RequestState State;
        public required int GroupIndex;
        public required EpisodeDriver Driver;
        public required int PromptLength;
        public readonly List<float> Mask = [];
        public readonly List<float> LogProbs = [];
        public readonly List<float> Entropies = [];
        public readonly List<bool> PostTool = [];
        public readonly List<RolloutTurn> Turns = [];
        public bool AfterTool;
        /// <summary>Closed segments (tokens as fed, span in the per-token lists); the open one is the live sequence.</summary>
        public readonly List<(int[] Tokens, RolloutSegment Span)> Closed = [];
        public int SegmentStart;
        public int SegmentPrompt;
        public int Prefilled;
        public int? BranchOf;
        public int SharedPrefix;
        public double? InitialEntropy;
    }

    private sealed class RequestState(RolloutRequest request)
    {
        public RolloutRequest Request { get; } = request;
        public int Budget;
        public int Next;
        public int Rounds;
    }

    /// <summary>Runs every request's rollouts and returns them grouped per request, in request order; generation and
    /// tool time go to <paramref name="timer"/>'s <c>generation</c> and <c>tools</c> phases.</summary>
    public IReadOnlyList<IReadOnlyList<Rollout>> Run(IReadOnlyList<RolloutRequest> requests, PhaseTimer? timer = null, CancellationToken cancellation = default)
    {
        // A branch copies its parent's token record up to the fork; that record is one sequence only when nothing is re-rendered.
        if (Settings.Branching is not null && !Settings.AppendOnly)
            throw new ToolSharpException($"ARPO branching needs an append-only view (history keep, construction native, no prompt mode); found {Settings.View.Name}{(Settings.PromptFormat is null ? "" : " in prompt mode")}");
        timer ??= new PhaseTimer();
        var groups = new List<IReadOnlyList<Rollout>>();
        foreach (var wave in Waves(requests)) groups.AddRange(RunWave(wave, timer, cancellation));
        return groups;
    }

    private IEnumerable<List<RolloutRequest>> Waves(IReadOnlyList<RolloutRequest> requests)
    {
        var wave = new List<RolloutRequest>();
        var size = 0;
        foreach (var request in requests)
        {
            var count = Settings.Branching?.Budget ?? request.Count;
            if (wave.Count > 0 && size + count > Settings.MaxSequences)
            {
                yield return wave;
                wave = [];
                size = 0;
            }
            wave.Add(request);
            size += count;
        }
        if (wave.Count > 0) yield return wave;
    }

    private List<IReadOnlyList<Rollout>> RunWave(IReadOnlyList<RolloutRequest> requests, PhaseTimer timer, CancellationToken cancellation)
    {
        var session = sessions(Settings.Sampling);
        var branching = Settings.Branching;
        var live = new List<Live>();
        var states = requests.Select(r => new RequestState(r) { Budget = branching?.Budget ?? r.Count }).ToList();

        void StartGlobal(RequestState state, int count)
        {
            var request = state.Request;
            var first = EpisodeDriver.Start(environment, request.Task, Settings.Limits, Settings.Instructions);
            var prompt = Prompt(first.Transcript);
            var root = session.Start(prompt, request.Seed + (ulong)state.Rounds * 1_000_003UL);
            var seeds = Enumerable.Range(0, count).Select(i => request.Seed + (ulong)(state.Next + i)).ToArray();
            var forks = session.Fork(root, seeds);
            session.Release(root);
            state.Rounds++;
            state.Budget -= count;
            for (var i = 0; i < forks.Length; i++)
            {
                var r = new Live
                {
                    Sequence = forks[i],
                    Request = request,
                    State = state,
                    GroupIndex = state.Next++,
                    Driver = i == 0 ? first : EpisodeDriver.Start(environment, request.Task, Settings.Limits, Settings.Instructions),
                    PromptLength = prompt.Length,
                    SegmentPrompt = prompt.Length,
                    // The shared prompt is prefilled once for the whole group; it is counted on the first rollout.
                    Prefilled = i == 0 ? prompt.Length : 0,
                };
                for (var t = 0; t < prompt.Length; t++) AddToken(r, 0, 0, 0, false);
                live.Add(r);
            }
        }

        using (timer.Measure(PhaseTimer.Generation))
            foreach (var state in states) StartGlobal(state, branching is null ? state.Budget : Math.Min(branching.Global, state.Budget));

        var branchRng = new SeededRandom(requests.Count == 0 ? 0 : requests[0].Seed ^ 0xA5B0);
        var limits = new GenerationLimits(Settings.MaxNewTokensPerTurn, renderer.StopTokens, MaxTotalLength: Settings.MaxTotalTokens);
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            var active = live.Where(r => !r.Driver.IsFinished).ToList();
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
            var shadows = new Dictionary<Live, (int Sequence, int Tokens, EpisodeDriver Driver, int Turns)>();
            if (branching is not null)
                foreach (var r in active.Where(r => r.AfterTool && r.BranchOf is null && r.State.Budget > 0))
                    shadows[r] = (session.Fork(r.Sequence, [branchRng.NextUInt64()])[0], r.Mask.Count, r.Driver.Fork(), r.Turns.Count);

            var contexts = active.Select(r => session.Tokens(r.Sequence).Count).ToArray();
            IReadOnlyList<GeneratedSegment> segments;
            using (timer.Measure(PhaseTimer.Generation))
                segments = session.Generate(active.Select(r => r.Sequence).ToList(), limits);

            for (var a = 0; a < active.Count; a++)
            {
                var r = active[a];
                var seg = segments[a];
                for (var t = 0; t < seg.Tokens.Length; t++) AddToken(r, 1, seg.LogProbs[t], seg.Entropies[t], r.AfterTool);
                if (branching is not null)
                {
                    var window = seg.Entropies.AsSpan(0, Math.Min(branching.EntropyWindow, seg.Entropies.Length));
                    var entropy = EntropyBranching.NormalisedMeanEntropy(window, renderer.VocabularySize);
                    r.InitialEntropy ??= entropy;
                    if (shadows.Remove(r, out var shadow))
                    {
                        var state = r.State;
                        if (state.Budget > 0 && EntropyBranching.ShouldBranch(entropy, r.InitialEntropy.Value, branching.Beta, branching.Tau, branchRng))
                        {
                            var z = Math.Min(branching.Branches, state.Budget);
                            state.Budget -= z;
                            var seeds = Enumerable.Range(0, z).Select(_ => branchRng.NextUInt64()).ToArray();
                            var forks = session.Fork(shadow.Sequence, seeds);
                            for (var b = 0; b < forks.Length; b++)
                                live.Add(Branch(r, forks[b], state.Next++, shadow.Tokens, b == 0 ? shadow.Driver : shadow.Driver.Fork(), shadow.Turns));
                        }
                        session.Release(shadow.Sequence);
                    }
                }
                r.AfterTool = false;
                var prefilled = r.Prefilled;
                r.Prefilled = 0;
                Submit(r, seg, contexts[a], prefilled, session, timer, cancellation);
            }
        }

        var groups = new List<IReadOnlyList<Rollout>>();
        foreach (var request in requests)
        {
            var group = new List<Rollout>();
            foreach (var r in live.Where(x => x.Request == request).OrderBy(x => x.GroupIndex))
            {
                var open = session.Tokens(r.Sequence).ToArray();
                var segments = r.Closed.Select(c => c.Span).Append(new RolloutSegment(r.SegmentStart, open.Length, r.SegmentPrompt)).ToList();
                int[] tokens = r.Closed.Count == 0 ? open : [.. r.Closed.SelectMany(c => c.Tokens), .. open];
                if (tokens.Length != r.Mask.Count || segments[^1].End != r.Mask.Count)
                    throw new InvalidOperationException($"rollout bookkeeping drifted: {tokens.Length} tokens but {r.Mask.Count} mask entries");
                group.Add(new Rollout
                {
                    Task = request.Task,
                    GroupIndex = r.GroupIndex,
                    Driver = r.Driver,
                    Score = r.Driver.Score(),
                    Turns = r.Turns,
                    Segments = segments,
                    PromptLength = r.PromptLength,
                    Tokens = tokens,
                    LossMask = [.. r.Mask],
                    LogProbs = [.. r.LogProbs],
                    Entropies = [.. r.Entropies],
                    PostTool = [.. r.PostTool],
                    BranchOf = r.BranchOf,
                    SharedPrefix = r.SharedPrefix,
                });
                session.Release(r.Sequence);
            }
            groups.Add(group);
        }
        return groups;
    }

    /// <summary>Hands one generated turn to the rollout's driver and appends what the model sees next.</summary>
    private void Submit(Live r, GeneratedSegment seg, int context, int prefilled, IGenerationSession session, PhaseTimer timer, CancellationToken cancellation)
    {
        var ids = seg.Tokens.Length > 0 && renderer.StopTokens.Contains(seg.Tokens[^1]) ? seg.Tokens[..^1] : seg.Tokens;
        var text = renderer.Decode(ids);
        var tools = r.Driver.Transcript.Tools;
        var parsed = Settings.PromptFormat is { } format ? PromptMode.Read(text, format, tools) : renderer.Parse(seg.Tokens, tools);
        var cut = seg.StopReason switch
        {
            StopReason.MaxLength => EpisodeEnding.ContextFull,
            StopReason.MaxNewTokens => EpisodeEnding.MaxTokens,
            _ => (EpisodeEnding?)null,
        };
        var assistantIndex = r.Driver.Transcript.Messages.Count;
        TurnOutcome outcome;
        using (timer.Measure(PhaseTimer.Tools))
            outcome = r.Driver.SubmitAsync(new ModelTurn(parsed.ToAssistantMessage(), parsed.UnreadableCalls, text, cut), cancellation).GetAwaiter().GetResult();
        r.Turns.Add(new RolloutTurn(context, seg.Tokens.Length, prefilled, text, cut is null ? "stop" : "length", outcome.Calls));
        if (outcome.Next == TurnNext.Finished) return;

        if (Settings.AppendOnly)
        {
            var next = renderer.Continuation(r.Driver.Transcript, assistantIndex + 1);
            if (r.Mask.Count + next.Length >= Settings.MaxTotalTokens) { r.Driver.Stop(EpisodeEnding.ContextFull); return; }
            session.Append(r.Sequence, next);
            foreach (var _ in next) AddToken(r, 0, 0, 0, false);
            r.Prefilled = next.Length;
            r.AfterTool = outcome.Next == TurnNext.ToolResults;
            return;
        }

        // The view rewrites the history: render what the model sees now and continue from the cache only where it extends it.
        var prompt = Prompt(r.Driver.Transcript);
        if (prompt.Length >= Settings.MaxTotalTokens) { r.Driver.Stop(EpisodeEnding.ContextFull); return; }
        var current = session.Tokens(r.Sequence).ToArray();
        r.AfterTool = outcome.Next == TurnNext.ToolResults;
        if (prompt.Length > current.Length && prompt.AsSpan(0, current.Length).SequenceEqual(current))
        {
            var delta = prompt[current.Length..];
            session.Append(r.Sequence, delta);
            foreach (var _ in delta) AddToken(r, 0, 0, 0, false);
            r.Prefilled = delta.Length;
        }
        else
        {
            // The new prompt rewrites what the model saw: close this segment and start a new sequence from the prompt.
            r.Closed.Add((current, new RolloutSegment(r.SegmentStart, current.Length, r.SegmentPrompt)));
            r.SegmentStart = r.Mask.Count;
            r.SegmentPrompt = prompt.Length;
            session.Release(r.Sequence);
            r.Sequence = session.Start(prompt, SeededRandom.For(r.Request.Seed, r.GroupIndex, r.Turns.Count).NextUInt64());
            foreach (var _ in prompt) AddToken(r, 0, 0, 0, false);
            r.Prefilled = prompt.Length;
        }
    }

    /// <summary>The prompt tokens for a transcript under the settings' view and call format.</summary>
    private int[] Prompt(Conversation transcript)
    {
        var view = Settings.View.Apply(transcript);
        return renderer.Prompt(Settings.PromptFormat is { } format ? PromptMode.Prepare(view, format) : view);
    }

    /// <summary>A branch of <paramref name="parent"/> restarting the turn after its latest tool result.</summary>
    private static Live Branch(Live parent, int sequence, int groupIndex, int tokens, EpisodeDriver driver, int turns)
    {
        var branch = new Live
        {
            Sequence = sequence,
            Request = parent.Request,
            State = parent.State,
            GroupIndex = groupIndex,
            Driver = driver,
            PromptLength = parent.PromptLength,
            SegmentPrompt = parent.PromptLength,
            AfterTool = true,
            BranchOf = parent.GroupIndex,
            SharedPrefix = tokens,
            InitialEntropy = parent.InitialEntropy,
        };
        branch.Turns.AddRange(parent.Turns.Take(turns));
        for (var t = 0; t < tokens; t++) AddToken(branch, parent.Mask[t], parent.LogProbs[t], parent.Entropies[t], parent.PostTool[t]);
        return branch;
    }

    private static void AddToken(Live r, float mask, float logProb, float entropy, bool postTool)
    {
        r.Mask.Add(mask);
        r.LogProbs.Add(logProb);
        r.Entropies.Add(entropy);
        r.PostTool.Add(postTool);
    }
}
