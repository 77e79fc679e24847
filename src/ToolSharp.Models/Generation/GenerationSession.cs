using ToolSharp.Core.Randomness;

namespace ToolSharp.Models.Generation;

/// <summary>Batched, resumable sampling from a <see cref="Transformer"/> with a KV cache per sequence.</summary>
/// <remarks>
/// The RL rollout shape: <see cref="Start"/> a prompt, <see cref="Fork"/> it into G sequences that share its prefill
/// (the prompt is run once, its cache copied), <see cref="Generate"/> them together until each stops (e.g. at
/// <c>&lt;/tool_call&gt;</c>), <see cref="Append"/> tool-result tokens to a stopped sequence and generate again with the
/// cache intact. Forking a paused sequence is ARPO's branching. Every sequence has its own seeded generator, so its
/// tokens do not depend on which other sequences share the batch.
/// </remarks>
public sealed class GenerationSession : IGenerationSession
{
    private readonly Transformer _model;
    private readonly Dictionary<int, SequenceState> _sequences = [];
    private int _nextId;

    public GenerationSession(Transformer model, SamplingOptions? sampling = null)
    {
        _model = model;
        Sampling = sampling ?? new SamplingOptions();
    }

    public SamplingOptions Sampling { get; set; }

    /// <summary>Tokens fed through the model so far (prefill + decode), a cost counter.</summary>
    public long TokensProcessed { get; private set; }

    private sealed class SequenceState(KvCache cache, List<int> tokens, List<int> pending, SeededRandom rng)
    {
        public KvCache Cache { get; set; } = cache;
        public List<int> Tokens { get; } = tokens;
        public List<int> Pending { get; } = pending;
        public SeededRandom Rng { get; } = rng;
    }

    /// <summary>Starts a sequence from prompt token ids; nothing runs until the next <see cref="Generate"/> or <see cref="Prefill"/>.</summary>
    public int Start(IReadOnlyList<int> prompt, ulong seed)
    {
        if (prompt.Count == 0) throw new ArgumentException("a prompt needs at least one token");
        var c = _model.Config;
        var id = _nextId++;
        _sequences[id] = new SequenceState(new KvCache(c.NumLayers, c.NumKvHeads * c.HeadDim, Math.Max(64, prompt.Count + 64)), [.. prompt], [.. prompt], new SeededRandom(seed));
        return id;
    }

    /// <summary>All tokens of a sequence so far (prompt, generated and appended).</summary>
    public IReadOnlyList<int> Tokens(int sequence) => State(sequence).Tokens;

    /// <summary>Positions already in the KV cache.</summary>
    public int CachedLength(int sequence) => State(sequence).Cache.Length;

    /// <summary>Runs pending tokens of the given sequences through the model without sampling (except the last one of each, which stays pending).</summary>
    public void Prefill(IReadOnlyList<int> sequences)
    {
        var states = sequences.Select(State).Where(s => s.Pending.Count > 1).ToList();
        if (states.Count == 0) return;
        var feeds = states.Select(s => (IReadOnlyList<int>)s.Pending.Take(s.Pending.Count - 1).ToArray()).ToList();
        CachedForward.Run(_model, states.Select(s => s.Cache).ToList(), feeds);
        foreach (var (s, feed) in states.Zip(feeds))
        {
            TokensProcessed += feed.Count;
            s.Pending.RemoveRange(0, feed.Count);
        }
    }

    /// <summary>Copies a sequence into <paramref name="seeds"/>.Length new sequences sharing its state so far; the source is prefilled first so the copies share that work.</summary>
    public int[] Fork(int sequence, IReadOnlyList<ulong> seeds)
    {
        Prefill([sequence]);
        var source = State(sequence);
        var ids = new int[seeds.Count];
        for (var i = 0; i < seeds.Count; i++)
        {
            ids[i] = _nextId++;
            _sequences[ids[i]] = new SequenceState(source.Cache.Clone(), [.. source.Tokens], [.. source.Pending], new SeededRandom(seeds[i]));
        }
        return ids;
    }

    /// <summary>Appends tokens (a tool result, the next user turn) to a sequence; they are fed on the next call.</summary>
    public void Append(int sequence, IReadOnlyList<int> tokens)
    {
        var s = State(sequence);
        s.Tokens.AddRange(tokens);
        s.Pending.AddRange(tokens);
    }

    /// <summary>Forgets a sequence and frees its cache.</summary>
    public void Release(int sequence) => _sequences.Remove(sequence);

    /// <summary>Samples from every given sequence until each hits a limit; one batched forward per step.</summary>
    public IReadOnlyList<GeneratedSegment> Generate(IReadOnlyList<int> sequences, GenerationLimits limits)
    {
        var states = sequences.Select(State).ToArray();
        var outputs = sequences.Select(_ => (Tokens: new List<int>(), LogProbs: new List<float>(), Entropies: new List<float>())).ToArray();
        var reasons = new StopReason?[sequences.Count];
        for (var i = 0; i < states.Length; i++)
        {
            if (states[i].Pending.Count == 0) throw new InvalidOperationException($"sequence {sequences[i]} has nothing to continue from (append tokens first)");
            if (states[i].Tokens.Count >= limits.MaxTotalLength || limits.MaxNewTokens <= 0) reasons[i] = states[i].Tokens.Count >= limits.MaxTotalLength ? StopReason.MaxLength : StopReason.MaxNewTokens;
        }

        while (true)
        {
            var active = Enumerable.Range(0, states.Length).Where(i => reasons[i] is null).ToArray();
            if (active.Length == 0) break;
            var feeds = active.Select(i => (IReadOnlyList<int>)states[i].Pending.ToArray()).ToList();
            var logits = CachedForward.Run(_model, active.Select(i => states[i].Cache).ToList(), feeds);
            for (var a = 0; a < active.Length; a++)
            {
                var i = active[a];
                var s = states[i];
                TokensProcessed += s.Pending.Count;
                s.Pending.Clear();
                var draw = Sampler.Sample(logits[a], Sampling, s.Rng);
                s.Tokens.Add(draw.Token);
                s.Pending.Add(draw.Token);
                var o = outputs[i];
                o.Tokens.Add(draw.Token);
                o.LogProbs.Add(draw.LogProb);
                o.Entropies.Add(draw.Entropy);
                reasons[i] = limits.StopAfter(o.Tokens, s.Tokens.Count);
            }
        }
        return Enumerable.Range(0, states.Length)
            .Select(i => new GeneratedSegment(sequences[i], [.. outputs[i].Tokens], [.. outputs[i].LogProbs], [.. outputs[i].Entropies], reasons[i]!.Value))
            .ToArray();
    }

    private SequenceState State(int sequence) =>
        _sequences.TryGetValue(sequence, out var s) ? s : throw new ArgumentException($"no sequence {sequence} in this session");
}
