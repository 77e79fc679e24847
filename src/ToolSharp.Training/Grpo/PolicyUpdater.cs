using ToolSharp.Core.Diagnostics;
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
/// turns are context only. With a KL term the frozen reference scores the batch first (the log-probs phase).
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
        var weights = TokenWeights.Compute(Options.Aggregation, samples.Select(s => s.LossMask).ToList(), Options.NormLength);

        float[][]? refLogProbs = null;
        if (_loss.KlCoefficient > 0)
        {
            using (timer.Measure(PhaseTimer.LogProbs))
            {
                refLogProbs = new float[samples.Count][];
                foreach (var chunk in MicroBatches(samples))
                {
                    using var scope = new TensorScope();
                    using var noGrad = Tape.NoGrad();
                    var scores = reference!.Score(BatchOf(samples, chunk), Options.Temperature);
                    for (var i = 0; i < chunk.Count; i++) refLogProbs[chunk[i]] = scores.LogProbs[i];
                }
            }
        }

        double loss = 0, kl = 0, entropy = 0, weight = 0, clipped = 0, approxKl = 0;
        var tokens = 0;
        using (timer.Measure(PhaseTimer.Update))
        {
            Optimizer.ZeroGrad();
            foreach (var chunk in MicroBatches(samples))
            {
                using var scope = new TensorScope();
                using var tape = new Tape();
                var scores = model.Score(BatchOf(samples, chunk), Options.Temperature);
                var result = _loss.Compute(scores.LogProbs, scores.Entropies, chunk.Select(i => samples[i].OldLogProbs).ToList(),
                    chunk.Select(i => samples[i].TokenAdvantages!).ToList(), chunk.Select(i => weights[i]).ToList(),
                    refLogProbs is null ? null : chunk.Select(i => refLogProbs[i]).ToList(), chunk.Select(i => samples[i].ClipExempt).ToList());
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

    private static TokenBatch BatchOf(IReadOnlyList<Sample> samples, List<int> chunk) =>
        new(chunk.Select(i => samples[i].Tokens).ToList(), chunk.Select(i => samples[i].LossMask.Select((m, t) => t > 0 && m > 0).ToArray()).ToList());

    private IEnumerable<List<int>> MicroBatches(IReadOnlyList<Sample> samples)
    {
        var current = new List<int>();
        var budget = 0;
        for (var i = 0; i < samples.Count; i++)
        {
            var n = samples[i].Tokens.Length;
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
