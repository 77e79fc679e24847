using System.Diagnostics;
using ToolSharp.Core.Randomness;
using ToolSharp.Models.Generation;
using ToolSharp.Models.Training;
using ToolSharp.Tensors.Autograd;
using ToolSharp.Tensors.Memory;
using ToolSharp.Tensors.Optim;

namespace ToolSharp.Models.Benchmarks;

/// <summary>Timings of the engine on one model: a full training step (forward, backward, AdamW) and batched decoding,
/// with the same shapes the PyTorch reference (<c>bench/torch_reference.py bench</c>) uses.</summary>
public static class EngineBenchmark
{
    /// <summary>Median milliseconds of a training step on <paramref name="batch"/> random sequences of <paramref name="seq"/> tokens,
    /// and the cores the timed steps kept busy (process CPU seconds per wall second).</summary>
    public static TrainStepTiming TrainStep(Transformer model, int batch, int seq, int warmup = 2, int repeats = 5)
    {
        var tokens = TokenBatch.ScoreAll(RandomSequences(model.Config.VocabSize, 1, Enumerable.Repeat(seq, batch).ToArray()));
        var optimizer = new AdamW(model.Parameters, new AdamWOptions(1e-4f));
        var times = new List<double>();
        var process = Process.GetCurrentProcess();
        TimeSpan cpuStart = default;
        var wall = new Stopwatch();
        for (var i = 0; i < warmup + repeats; i++)
        {
            if (i == warmup)
            {
                process.Refresh();
                cpuStart = process.TotalProcessorTime;
                wall.Start();
            }
            var watch = Stopwatch.StartNew();
            using (new TensorScope())
            using (new Tape())
            {
                var scores = model.Score(tokens);
                var count = scores.LogProbs.Sum(l => l.Length);
                optimizer.ZeroGrad();
                scores.Backward(tokens.Scored.Select(m => m.Select(s => s ? -1f / count : 0f).ToArray()).ToArray());
            }
            optimizer.Step();
            if (i >= warmup) times.Add(watch.Elapsed.TotalMilliseconds);
        }
        process.Refresh();
        return new TrainStepTiming(Median(times), (process.TotalProcessorTime - cpuStart).TotalSeconds / wall.Elapsed.TotalSeconds);
    }

    /// <summary>Decoding tokens per second for <paramref name="batch"/> sequences after a <paramref name="prompt"/>-token prefill (greedy; prefill not timed).</summary>
    public static double GenerationTokensPerSecond(Transformer model, int batch, int prompt = 32, int newTokens = 64, int repeats = 3)
    {
        var rates = new List<double>();
        for (var r = 0; r < repeats + 1; r++)
        {
            var rng = new SeededRandom((ulong)(7 + r));
            var session = new GenerationSession(model, SamplingOptions.Greedy);
            var ids = Enumerable.Range(0, batch).Select(b => session.Start(Enumerable.Range(0, prompt).Select(_ => rng.Next(model.Config.VocabSize)).ToArray(), (ulong)b)).ToList();
            session.Prefill(ids);
            var watch = Stopwatch.StartNew();
            var segments = session.Generate(ids, new GenerationLimits(newTokens));
            var generated = segments.Sum(s => s.Tokens.Length);
            if (r > 0) rates.Add(generated / watch.Elapsed.TotalSeconds); // the first round warms up the JIT and the pools
        }
        return Median(rates);
    }

    /// <summary>Parameter gradients (by Hugging Face name) of the mean next-token cross-entropy over every position of
    /// <paramref name="sequences"/>, the loss <c>bench/torch_reference.py grads</c> differentiates; leaves the model's
    /// gradients zeroed.</summary>
    public static Dictionary<string, float[]> Gradients(Transformer model, IReadOnlyList<int[]> sequences)
    {
        var tokens = TokenBatch.ScoreAll(sequences);
        var count = sequences.Sum(s => s.Length - 1);
        foreach (var p in model.Parameters) p.ZeroGrad();
        using (new TensorScope())
        using (new Tape())
        {
            var scores = model.Score(tokens);
            scores.Backward(tokens.Scored.Select(m => m.Select(s => s ? -1f / count : 0f).ToArray()).ToArray());
        }
        var grads = model.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor.Grad.ToArray());
        foreach (var p in model.Parameters) p.ZeroGrad();
        return grads;
    }

    /// <summary>Uniformly random token sequences of the given lengths, drawn in order from one seeded generator.</summary>
    public static int[][] RandomSequences(int vocabSize, ulong seed, params int[] lengths)
    {
        var rng = new SeededRandom(seed);
        return lengths.Select(n => Enumerable.Range(0, n).Select(_ => rng.Next(vocabSize)).ToArray()).ToArray();
    }

    /// <summary>max |ours − reference| / max |reference|: the parity measure for logits and gradients.</summary>
    public static double MaxRelativeDifference(ReadOnlySpan<float> ours, ReadOnlySpan<float> reference)
    {
        if (ours.Length != reference.Length) throw new ArgumentException($"comparing {ours.Length} values with {reference.Length}");
        double diff = 0, scale = 0;
        for (var i = 0; i < ours.Length; i++)
        {
            diff = Math.Max(diff, Math.Abs(ours[i] - reference[i]));
            scale = Math.Max(scale, Math.Abs(reference[i]));
        }
        return diff / Math.Max(1e-12, scale);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
