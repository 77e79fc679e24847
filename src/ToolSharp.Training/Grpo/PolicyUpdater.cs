using ToolSharp.Core.Diagnostics;
using ToolSharp.Inference.Rollouts;
using ToolSharp.Models;
using ToolSharp.Models.Training;
using ToolSharp.Tensors.Autograd;
using ToolSharp.Tensors.Memory;
using ToolSharp.Tensors.Optim;
using ToolSharp.Training.Losses;
using ToolSharp.Training.Samples;

namespace ToolSharp.Training.Grpo;

/// <summary>Stage 6 of an RL step: one optimizer step on the shaped samples through <see cref="PolicyLoss"/>, reusing
/// the rollouts' log-probs as the old log-probs (one update per batch, so no extra forward).</summary>
/// <remarks>
/// Aggregation weights are computed once for the whole batch and micro-batches accumulate gradients, so the update is
/// the same whatever the micro-batch size. Only policy tokens (loss mask 1) are scored; prompts, tool results and user
/// turns are context only. A sample with several segments (a re-rendered view) is scored segment by segment, each on
/// its own tokens as it was sampled, with the weights and advantages of its whole arrays. With a KL term the frozen reference scores the batch first (the log-probs phase).
/// </remarks>
public sealed class PolicyUpdater(Transformer model, AdamW optimizer, UpdateOptions options, Transformer? reference = null)
{
    private readonly PolicyLoss _loss = new(new PpoClipLoss(options.ClipLow, options.ClipHigh), reference is null ? 0 : options.KlCoefficient,
        options.KlEstimator, options.EntropyCoefficient);

    public UpdateOptions Options { get; } = options;

    public AdamW Optimizer { get; } = optimizer;

    /// <summary>Applies one optimizer step on <paramref name="samples"/> (each with its token advantages).</summary>
    public UpdateResult Update(IReadOnlyList<Sample> samples, float learningRate, PhaseTimer timer)
    {
        if (samples.Count == 0) return new UpdateResult(0, 0, 0, 0, 0, 0, 0, 0, learningRate);
        // Weights over each sample's whole arrays: the aggregation counts rollouts and all their sampled tokens, segments included.
        var weights = TokenWeights.Compute(Options.Aggregation, samples.Select(s => s.LossMask).ToList(), Options.NormLength);
        var sequences = Sequences(samples);

        float[][]? refLogProbs = null;
        if (_loss.KlCoefficient > 0)
            using (timer.Measure(PhaseTimer.LogProbs))
                refLogProbs = ScoreSequences(reference!, sequences);

        double loss = 0, kl = 0, entropy = 0, weight = 0, clipped = 0, approxKl = 0;
        var tokens = 0;
        using (timer.Measure(PhaseTimer.Update))
        {
            Optimizer.ZeroGrad();
            foreach (var chunk in MicroBatches(sequences))
            {
                using var scope = new TensorScope();
                using var tape = new Tape();
                var scores = model.Score(BatchOf(sequences, chunk), Options.Temperature);
                var result = _loss.Compute(scores.LogProbs, scores.Entropies, chunk.Select(i => sequences[i].Of(s => s.OldLogProbs)).ToList(),
                    chunk.Select(i => sequences[i].Of(s => s.TokenAdvantages!)).ToList(), chunk.Select(i => sequences[i].Span.Slice(weights[sequences[i].Index])).ToList(),
                    refLogProbs is null ? null : chunk.Select(i => refLogProbs[i]).ToList(), chunk.Select(i => sequences[i].Sample.ClipExempt is null ? null : sequences[i].Of(s => s.ClipExempt!)).ToList());
                loss += result.Loss;
                kl += result.KlTerm;
                entropy += result.EntropyTerm;
                weight += result.Weight;
                clipped += result.ClippedWeight;
                approxKl += result.ApproxKlWeighted;
                tokens += scores.Count;
                scores.Backward(result.LogProbGradients, result.EntropyGradients);
            }
            var norm = Optimizer.ClipGradientNorm(Options.ClipNorm);
            Optimizer.LearningRate = learningRate;
            Optimizer.Step();
            var w = Math.Max(weight, 1e-12);
            return new UpdateResult(loss, clipped / w, approxKl / w, kl / w, entropy / w, norm, samples.Count, tokens, learningRate);
        }
    }

    /// <summary>Log-probs of each sample's tokens under <paramref name="scorer"/> at the update's temperature, scored
    /// segment by segment and laid out like the sample's arrays (0 off the loss mask), without recording gradients.</summary>
    public float[][] LogProbs(Transformer scorer, IReadOnlyList<Sample> samples)
    {
        var sequences = Sequences(samples);
        var scored = ScoreSequences(scorer, sequences);
        var result = samples.Select(s => new float[s.Tokens.Length]).ToArray();
        for (var q = 0; q < sequences.Count; q++) scored[q].CopyTo(result[sequences[q].Index], sequences[q].Span.Start);
        return result;
    }

    /// <summary>One sequence the model scores: a segment of a sample.</summary>
    private readonly record struct Sequence(int Index, Sample Sample, RolloutSegment Span)
    {
        public T[] Of<T>(Func<Sample, T[]> values) => Span.Slice(values(Sample));
    }

    /// <summary>Every sample's segments, sample by sample: a segment is scored on its own tokens, as it was sampled.</summary>
    private static List<Sequence> Sequences(IReadOnlyList<Sample> samples) =>
        samples.SelectMany((s, i) => s.Sequences.Select(span => new Sequence(i, s, span))).ToList();

    private float[][] ScoreSequences(Transformer scorer, IReadOnlyList<Sequence> sequences)
    {
        var result = new float[sequences.Count][];
        foreach (var chunk in MicroBatches(sequences))
        {
            using var scope = new TensorScope();
            using var noGrad = Tape.NoGrad();
            var scores = scorer.Score(BatchOf(sequences, chunk), Options.Temperature);
            for (var i = 0; i < chunk.Count; i++) result[chunk[i]] = scores.LogProbs[i];
        }
        return result;
    }

    private static TokenBatch BatchOf(IReadOnlyList<Sequence> sequences, List<int> chunk) =>
        new(chunk.Select(i => sequences[i].Of(s => s.Tokens)).ToList(), chunk.Select(i => sequences[i].Of(s => s.LossMask).Select((m, t) => t > 0 && m > 0).ToArray()).ToList());

    private IEnumerable<List<int>> MicroBatches(IReadOnlyList<Sequence> sequences)
    {
        var current = new List<int>();
        var budget = 0;
        for (var i = 0; i < sequences.Count; i++)
        {
            var n = sequences[i].Span.Length;
            if (current.Count > 0 && budget + n > Options.MicroBatchTokens)
            {
                yield return current;
                current = [];
                budget = 0;
            }
            current.Add(i);
            budget += n;
        }
        if (current.Count > 0) yield return current;
    }
}
