using ToolSharp.Core.Randomness;

namespace ToolSharp.Models.Generation;

/// <summary>Continuous batching on one model: sequences join and leave between decode steps, and every step runs one
/// batched forward over all sequences generating, so a batch never waits on its slowest member.</summary>
/// <remarks>
/// <para>Sequences live here as in <see cref="GenerationSession"/> (<see cref="Start"/>, <see cref="Fork"/>,
/// <see cref="Append"/>, <see cref="Release"/>, a KV cache and a seeded generator each), but generation is asynchronous:
/// <see cref="GenerateAsync"/> queues a call and returns a task that completes when that sequence stops (stop token,
/// stop sequence, <see cref="GenerationRequest.StopWhen"/>, token budget). Between steps the scheduler drops finished
/// and cancelled calls and admits waiting ones up to <see cref="BatcherOptions.MaxBatch"/>; a joining sequence's pending
/// tokens (its prompt, or a tool result appended since its last call) are fed in the same forward as everyone else's
/// last token, whole or in chunks of <see cref="BatcherOptions.PrefillChunk"/>. A multi-turn caller (a rollout) awaits
/// a turn, appends the tool result and calls again with the cache intact, while other sequences keep the batch full.</para>
/// <para>Each call samples with its own <see cref="SamplingOptions"/> from its sequence's own seeded generator, so a
/// sequence's draws do not depend on which others share a step. Its logits do, at the rounding level, unless the GEMM
/// computes each row the same whatever the number of rows (see docs/serving.md, "Batch invariance"); run alone
/// (<see cref="BatcherOptions.MaxBatch"/> 1) a sequence computes exactly what <see cref="GenerationSession"/> computes.</para>
/// <para>Thread-safe: any thread may start, fork, append and generate; the forward passes run on the scheduler's thread.
/// A sequence may not be forked, appended to or given a second call while a call of it is queued or running.</para>
/// </remarks>
public sealed class ContinuousBatcher : IDisposable
{
    private readonly Transformer _model;
    private readonly object _gate = new();
    private readonly Dictionary<int, Sequence> _sequences = [];
    private readonly LinkedList<Call> _waiting = new();
    private readonly List<Call> _active = [];
    private readonly Thread? _loop;
    private int _nextId;
    private bool _disposed;
    private long _steps, _sequenceSteps, _tokensFed, _tokensSampled, _completed, _cancelled, _refused;

    public ContinuousBatcher(Transformer model, BatcherOptions? options = null)
    {
        _model = model;
        Options = (options ?? new BatcherOptions()).Validated();
        if (!Options.Autostart) return;
        _loop = new Thread(Loop) { IsBackground = true, Name = "toolsharp-batcher" };
        _loop.Start();
    }

    public BatcherOptions Options { get; }

    /// <summary>The model's context length: no sequence grows past it.</summary>
    public int MaxPositions => _model.Config.MaxPositionEmbeddings;

    private sealed class Sequence(KvCache cache, List<int> tokens, List<int> pending, SeededRandom rng)
    {
        public KvCache Cache { get; } = cache;
        public List<int> Tokens { get; } = tokens;
        public List<int> Pending { get; } = pending;
        public SeededRandom Rng { get; } = rng;
        public Call? Call { get; set; }
    }

    private sealed class Call(int id, Sequence sequence, GenerationRequest? request)
    {
        public int Id { get; } = id;
        public Sequence Sequence { get; } = sequence;

        /// <summary>Null for a prefill-only call (<see cref="PrefillAsync"/>).</summary>
        public GenerationRequest? Request { get; } = request;
        public TaskCompletionSource<GeneratedSegment> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public List<int> Tokens { get; } = [];
        public List<float> LogProbs { get; } = [];
        public List<float> Entropies { get; } = [];
        public StopReason? Reason { get; set; }
        public bool Cancelled { get; set; }
        public CancellationTokenRegistration Registration { get; set; }
    }

    /// <summary>Counters since the start.</summary>
    public BatcherStats Stats
    {
        get
        {
            lock (_gate) return new BatcherStats(_steps, _sequenceSteps, _tokensFed, _tokensSampled, _completed, _cancelled, _refused);
        }
    }

    /// <summary>Calls generating now and calls waiting for a slot.</summary>
    public (int Active, int Waiting) Load
    {
        get
        {
            lock (_gate) return (_active.Count, _waiting.Count);
        }
    }

    /// <summary>Starts a sequence from prompt token ids with its own sampling seed; nothing runs until it is given a call.</summary>
    public int Start(IReadOnlyList<int> prompt, ulong seed)
    {
        if (prompt.Count == 0) throw new ArgumentException("a prompt needs at least one token");
        var c = _model.Config;
        lock (_gate)
        {
            ThrowIfDisposed();
            var id = _nextId++;
            _sequences[id] = new Sequence(new KvCache(c.NumLayers, c.NumKvHeads * c.HeadDim, Math.Max(64, prompt.Count + 64)), [.. prompt], [.. prompt], new SeededRandom(seed));
            return id;
        }
    }

    /// <summary>Copies an idle sequence into new ones sharing its state so far, one per seed. Tokens still pending are
    /// copied, not shared: await <see cref="PrefillAsync"/> first so the copies share the prefill.</summary>
    public int[] Fork(int sequence, IReadOnlyList<ulong> seeds)
    {
        lock (_gate)
        {
            var source = Idle(sequence, "fork");
            var ids = new int[seeds.Count];
            for (var i = 0; i < seeds.Count; i++)
            {
                ids[i] = _nextId++;
                _sequences[ids[i]] = new Sequence(source.Cache.Clone(), [.. source.Tokens], [.. source.Pending], new SeededRandom(seeds[i]));
            }
            return ids;
        }
    }

    /// <summary>Appends tokens (a tool result, the next user turn) to an idle sequence; they are fed with its next call.</summary>
    public void Append(int sequence, IReadOnlyList<int> tokens)
    {
        lock (_gate)
        {
            var s = Idle(sequence, "append to");
            s.Tokens.AddRange(tokens);
            s.Pending.AddRange(tokens);
        }
    }

    /// <summary>All tokens of a sequence so far (a copy).</summary>
    public IReadOnlyList<int> Tokens(int sequence)
    {
        lock (_gate) return [.. Get(sequence).Tokens];
    }

    /// <summary>Forgets a sequence and frees its cache; a call of it still queued or running is cancelled.</summary>
    public void Release(int sequence)
    {
        Call? cancelled = null;
        lock (_gate)
        {
            if (!_sequences.Remove(sequence, out var s)) return;
            if (s.Call is { } call)
            {
                call.Cancelled = true;
                if (_waiting.Remove(call)) cancelled = Finish(call);
            }
        }
        Complete(cancelled);
    }

    /// <summary>Queues a generation call of an idle sequence; the task completes when it stops, with what it generated.</summary>
    /// <exception cref="GenerationQueueFullException">Every slot is busy and <see cref="BatcherOptions.MaxQueue"/> calls already wait.</exception>
    public Task<GeneratedSegment> GenerateAsync(int sequence, GenerationRequest request, CancellationToken cancellation = default) =>
        Enqueue(sequence, request, cancellation);

    /// <summary>Feeds a sequence's pending tokens but the last through the model (so forks share them); completes when done.</summary>
    public Task PrefillAsync(int sequence, CancellationToken cancellation = default) => Enqueue(sequence, null, cancellation);

    private Task<GeneratedSegment> Enqueue(int sequence, GenerationRequest? request, CancellationToken cancellation)
    {
        Call call;
        Call? immediate = null;
        lock (_gate)
        {
            var s = Idle(sequence, "generate from");
            if (request is not null && s.Pending.Count == 0) throw new InvalidOperationException($"sequence {sequence} has nothing to continue from (append tokens first)");
            call = new Call(sequence, s, request);
            var limits = request?.Limits;
            if (limits is not null && (s.Tokens.Count >= limits.MaxTotalLength || limits.MaxNewTokens <= 0))
            {
                call.Reason = s.Tokens.Count >= limits.MaxTotalLength ? StopReason.MaxLength : StopReason.MaxNewTokens;
                immediate = Finish(call);
            }
            else if (request is null && s.Pending.Count <= 1)
            {
                call.Reason = StopReason.MaxNewTokens;
                immediate = Finish(call);
            }
            else
            {
                if (_active.Count + _waiting.Count >= Options.MaxBatch + Options.MaxQueue)
                {
                    _refused++;
                    throw new GenerationQueueFullException(_active.Count, _waiting.Count);
                }
                s.Call = call;
                _waiting.AddLast(call);
                Monitor.PulseAll(_gate);
            }
        }
        if (immediate is not null)
        {
            Complete(immediate);
            return call.Done.Task;
        }
        if (cancellation.CanBeCanceled) call.Registration = cancellation.Register(() => Cancel(call));
        return call.Done.Task;
    }

    private void Cancel(Call call)
    {
        Call? done = null;
        lock (_gate)
        {
            if (call.Done.Task.IsCompleted || call.Cancelled) return;
            call.Cancelled = true;
            // A waiting call leaves at once; a running one leaves at the end of the current step.
            if (_waiting.Remove(call)) done = Finish(call);
        }
        Complete(done);
    }

    /// <summary>Runs one scheduling step: admits waiting calls, runs one batched forward, samples, retires finished calls.
    /// Returns false when there was nothing to do. Called by the scheduler's thread, or by the caller when
    /// <see cref="BatcherOptions.Autostart"/> is false.</summary>
    public bool Step()
    {
        List<Call> batch;
        List<IReadOnlyList<int>> feeds;
        var finished = new List<Call>();
        lock (_gate)
        {
            for (var i = _active.Count - 1; i >= 0; i--)
                if (_active[i].Cancelled) { finished.Add(Finish(_active[i])); _active.RemoveAt(i); }
            while (_active.Count < Options.MaxBatch && _waiting.First is { } next)
            {
                _waiting.RemoveFirst();
                _active.Add(next.Value);
            }
            batch = [.. _active];
            feeds = batch.Select(Feed).ToList();
        }
        if (batch.Count == 0)
        {
            foreach (var f in finished) Complete(f);
            return finished.Count > 0;
        }

        var logits = CachedForward.Run(_model, batch.Select(c => c.Sequence.Cache).ToList(), feeds);

        var events = new List<(Call Call, GeneratedToken Token)>();
        lock (_gate)
        {
            _steps++;
            _sequenceSteps += batch.Count;
            for (var b = 0; b < batch.Count; b++)
            {
                var call = batch[b];
                var s = call.Sequence;
                s.Pending.RemoveRange(0, feeds[b].Count);
                _tokensFed += feeds[b].Count;
                if (call.Request is not { } request)
                {
                    if (s.Pending.Count <= 1) call.Reason = StopReason.MaxNewTokens;
                }
                else if (s.Pending.Count == 0)
                {
                    var draw = Sampler.Sample(logits[b], request.Sampling, s.Rng);
                    _tokensSampled++;
                    s.Tokens.Add(draw.Token);
                    s.Pending.Add(draw.Token);
                    call.Tokens.Add(draw.Token);
                    call.LogProbs.Add(draw.LogProb);
                    call.Entropies.Add(draw.Entropy);
                    if (request.OnToken is not null)
                    {
                        var top = request.TopLogProbs > 0 ? Sampler.TopLogProbs(logits[b], request.Sampling, request.TopLogProbs) : [];
                        events.Add((call, new GeneratedToken(draw.Token, draw.LogProb, draw.Entropy, top)));
                    }
                    call.Reason = request.Limits.StopAfter(call.Tokens, s.Tokens.Count, request.StopWhen);
                }
                if (call.Reason is not null || call.Cancelled)
                {
                    _active.Remove(call);
                    finished.Add(Finish(call));
                }
            }
        }
        // Outside the lock: callbacks and continuations may call back into the batcher.
        foreach (var (call, token) in events) call.Request!.OnToken!(token);
        foreach (var f in finished) Complete(f);
        return true;
    }

    /// <summary>The tokens a call feeds this step: all its pending tokens, or a chunk of them; a prefill-only call keeps the last one.</summary>
    private IReadOnlyList<int> Feed(Call call)
    {
        var pending = call.Sequence.Pending;
        var count = call.Request is null ? pending.Count - 1 : pending.Count;
        if (Options.PrefillChunk > 0) count = Math.Min(count, Options.PrefillChunk);
        return pending.GetRange(0, count);
    }

    /// <summary>Detaches a call from its sequence (under the lock); <see cref="Complete"/> then settles its task.</summary>
    private Call Finish(Call call)
    {
        if (call.Sequence.Call == call) call.Sequence.Call = null;
        if (call.Cancelled) _cancelled++;
        else _completed++;
        return call;
    }

    private static void Complete(Call? call)
    {
        if (call is null) return;
        call.Registration.Dispose();
        if (call.Cancelled) call.Done.TrySetCanceled();
        else call.Done.TrySetResult(new GeneratedSegment(call.Id, [.. call.Tokens], [.. call.LogProbs], [.. call.Entropies], call.Reason!.Value));
    }

    private void Loop()
    {
        while (true)
        {
            lock (_gate)
            {
                while (!_disposed && _active.Count == 0 && _waiting.Count == 0) Monitor.Wait(_gate);
                if (_disposed) return;
            }
            try
            {
                Step();
            }
            catch (Exception ex)
            {
                FailAll(ex);
            }
        }
    }

    /// <summary>A forward pass threw (a bug, or memory): every call in flight fails with it rather than hanging.</summary>
    private void FailAll(Exception ex)
    {
        List<Call> calls;
        lock (_gate)
        {
            calls = [.. _active, .. _waiting];
            _active.Clear();
            _waiting.Clear();
            foreach (var c in calls) if (c.Sequence.Call == c) c.Sequence.Call = null;
        }
        foreach (var c in calls)
        {
            c.Registration.Dispose();
            c.Done.TrySetException(ex);
        }
    }

    private Sequence Get(int sequence) =>
        _sequences.TryGetValue(sequence, out var s) ? s : throw new ArgumentException($"no sequence {sequence} in this batcher");

    private Sequence Idle(int sequence, string what)
    {
        ThrowIfDisposed();
        var s = Get(sequence);
        return s.Call is null ? s : throw new InvalidOperationException($"cannot {what} sequence {sequence} while a call of it is queued or running");
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Stops the scheduler; calls still queued or running fail with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            Monitor.PulseAll(_gate);
        }
        _loop?.Join();
        FailAll(new ObjectDisposedException(nameof(ContinuousBatcher)));
    }
}
