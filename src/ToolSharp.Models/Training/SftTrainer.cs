using System.Diagnostics;
using System.Text.Json.Nodes;
using ToolSharp.Core.Randomness;
using ToolSharp.Models.Checkpoints;
using ToolSharp.Tensors.Autograd;
using ToolSharp.Tensors.Memory;
using ToolSharp.Tensors.Optim;

namespace ToolSharp.Models.Training;

/// <summary>Supervised fine-tuning: token-mean cross-entropy on masked (assistant) tokens, length-bucketed batches,
/// AdamW with warm-up and decay, gradient clipping, atomic checkpoints and exact resume.</summary>
/// <remarks>
/// The data order is a function of (seed, epoch) only, and the step counter says where in it training is, so a run
/// resumed from a checkpoint sees exactly the batches the uninterrupted run would have seen.
/// </remarks>
public sealed class SftTrainer
{
    private readonly IReadOnlyList<SftExample> _data;
    private readonly LearningRateSchedule _schedule;
    private readonly Dictionary<int, List<int[]>> _epochs = [];

    public SftTrainer(Transformer model, IReadOnlyList<SftExample> data, SftOptions options)
    {
        if (data.Count == 0) throw new ArgumentException("SFT needs at least one example");
        var tooLong = data.FirstOrDefault(e => e.Length > options.BatchTokens);
        if (tooLong is not null) throw new ArgumentException($"an example has {tooLong.Length} tokens, more than the batch budget of {options.BatchTokens}");
        Model = model;
        _data = data;
        Options = options;
        Optimizer = new AdamW(model.Parameters, new AdamWOptions(options.LearningRate, Beta2: 0.95f, WeightDecay: options.WeightDecay));
        _schedule = new LearningRateSchedule(options.LearningRate, options.WarmupSteps, options.Steps, options.Schedule);
    }

    public Transformer Model { get; }

    public SftOptions Options { get; }

    public AdamW Optimizer { get; }

    /// <summary>Examples that open a step's batch ahead of the regular data (a curriculum, e.g. copy drills); the step's
    /// regular examples fill what is left of the token budget. Must be a pure function of the step, so that a resumed
    /// run sees the same batches.</summary>
    public Func<long, IReadOnlyList<SftExample>>? Supplement { get; init; }

    /// <summary>Steps completed.</summary>
    public long Step { get; private set; }

    /// <summary>Runs one optimizer step on the next batch and returns what happened.</summary>
    public SftProgress TrainStep()
    {
        var batch = NextBatch();
        var watch = Stopwatch.StartNew();
        double loss;
        int tokens;
        using (new TensorScope())
        using (var tape = new Tape())
        {
            var examples = WithSupplement(batch.Select(i => _data[i]).ToList());
            var tokenBatch = TokenBatch.FromMasks(examples.Select(e => e.Tokens).ToList(), examples.Select(e => e.LossMask).ToList());
            var scores = Model.Score(tokenBatch);
            tokens = scores.Count;
            var grads = tokenBatch.Scored.Select(m => new float[m.Length]).ToArray();
            double sum = 0;
            for (var s = 0; s < grads.Length; s++)
                for (var t = 0; t < grads[s].Length; t++)
                    if (tokenBatch.Scored[s][t])
                    {
                        grads[s][t] = -1f / Math.Max(1, tokens);
                        sum -= scores.LogProbs[s][t];
                    }
            loss = sum / Math.Max(1, tokens);
            Optimizer.ZeroGrad();
            scores.Backward(grads);
        }
        var norm = Optimizer.ClipGradientNorm(Options.ClipNorm);
        var lr = _schedule.At(Step);
        Optimizer.LearningRate = lr;
        Optimizer.Step();
        Step++;
        return new SftProgress(Step, Options.Steps, loss, tokens, tokens / Math.Max(1e-9, watch.Elapsed.TotalSeconds), lr, norm);
    }

    /// <summary>Trains until <see cref="SftOptions.Steps"/>, checkpointing into <paramref name="store"/> when given.</summary>
    public void Run(IProgress<SftProgress>? progress = null, CheckpointStore? store = null, IReadOnlyDictionary<string, string>? extraFiles = null, CancellationToken cancellation = default)
    {
        while (Step < Options.Steps)
        {
            cancellation.ThrowIfCancellationRequested();
            var p = TrainStep();
            progress?.Report(p);
            if (store is not null && Options.CheckpointEvery > 0 && Step % Options.CheckpointEvery == 0 && Step < Options.Steps)
                SaveCheckpoint(store, extraFiles);
        }
        if (store is not null) SaveCheckpoint(store, extraFiles);
    }

    public string SaveCheckpoint(CheckpointStore store, IReadOnlyDictionary<string, string>? extraFiles = null) =>
        store.Save(Step, Model, Optimizer, new JsonObject { ["kind"] = "sft", ["seed"] = Options.Seed }, extraFiles);

    /// <summary>Continues from a checkpoint written by <see cref="SaveCheckpoint"/>.</summary>
    public void Resume(string checkpoint)
    {
        var state = CheckpointStore.Restore(checkpoint, Model, Optimizer);
        Step = state["step"]!.GetValue<long>();
    }

    /// <summary>The supplement for the current step, then as many of the regular examples as still fit the budget.</summary>
    private List<SftExample> WithSupplement(List<SftExample> regular)
    {
        if (Supplement?.Invoke(Step) is not { Count: > 0 } extra) return regular;
        var examples = new List<SftExample>(extra);
        var budget = extra.Sum(e => e.Length);
        foreach (var e in regular)
        {
            if (budget + e.Length > Options.BatchTokens) break;
            examples.Add(e);
            budget += e.Length;
        }
        return examples;
    }

    /// <summary>The indices of the examples in the batch for the current step.</summary>
    private int[] NextBatch()
    {
        // Epoch sizes can differ slightly (length grouping), so walk the epochs; still a pure function of the step.
        var remaining = Step;
        for (var epoch = 0; ; epoch++)
        {
            var batches = EpochBatches(epoch);
            if (remaining < batches.Count) return batches[(int)remaining];
            remaining -= batches.Count;
        }
    }

    private List<int[]> EpochBatches(int epoch)
    {
        if (_epochs.TryGetValue(epoch, out var cached)) return cached;
        var rng = new SeededRandom(Options.Seed * 1_000_003UL + (ulong)epoch);
        var order = Enumerable.Range(0, _data.Count).ToArray();
        Shuffle(order, rng);
        // Sort windows of the shuffled order by length so batches hold similar lengths, then shuffle the batches.
        var batches = new List<int[]>();
        const int window = 256;
        for (var w = 0; w < order.Length; w += window)
        {
            var chunk = order.Skip(w).Take(window).OrderBy(i => _data[i].Length).ThenBy(i => i).ToList();
            var current = new List<int>();
            var budget = 0;
            foreach (var i in chunk)
            {
                if (current.Count > 0 && budget + _data[i].Length > Options.BatchTokens)
                {
                    batches.Add([.. current]);
                    current.Clear();
                    budget = 0;
                }
                current.Add(i);
                budget += _data[i].Length;
            }
            if (current.Count > 0) batches.Add([.. current]);
        }
        var shuffled = batches.ToArray();
        Shuffle(shuffled, rng);
        return _epochs[epoch] = [.. shuffled];
    }

    private static void Shuffle<T>(T[] items, SeededRandom rng)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
