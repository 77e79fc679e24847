using ToolSharp.Models;
using ToolSharp.Models.Training;
using ToolSharp.Tensors.Autograd;
using ToolSharp.Tensors.Memory;
using ToolSharp.Tensors.Optim;
using ToolSharp.Training.Losses;
using ToolSharp.Training.Metrics;
using ToolSharp.Training.Rollouts;

namespace ToolSharp.Training.Grpo;

/// <summary>One PPO-clip policy step over trajectories with per-token advantages, reusing the rollouts' log-probs as the
/// old log-probs (one update per batch, so no extra forward), with optional KL to a frozen reference and entropy bonus.</summary>
/// <remarks>
/// Aggregation weights are computed once for the whole batch and micro-batches accumulate gradients, so the update is
/// the same whatever the micro-batch size. Only policy tokens (loss mask 1) are scored; prompts and tool results are
/// context only.
/// </remarks>
public sealed class PolicyUpdater(Transformer model, AdamW optimizer, UpdateOptions options, Transformer? reference = null)
{
    public UpdateOptions Options { get; } = options;

    public AdamW Optimizer { get; } = optimizer;

    /// <summary>Applies one optimizer step; <paramref name="advantages"/>[s][t] is token t's advantage in trajectory s.</summary>
    public UpdateResult Update(IReadOnlyList<Trajectory> trajectories, IReadOnlyList<float[]> advantages, float learningRate, PhaseTimer timer,
        IReadOnlyList<bool[]>? clipExempt = null)
    {
        if (trajectories.Count == 0) return new UpdateResult(0, 0, 0, 0, 0, 0, 0, 0, learningRate);
        var masks = trajectories.Select(t => t.LossMask).ToList();
        var weights = TokenWeights.Compute(Options.Aggregation, masks, Options.NormLength);
        var ppo = new PpoClipLoss(Options.ClipLow, Options.ClipHigh);

        float[][]? refLogProbs = null;
        if (Options.KlCoefficient > 0 && reference is not null)
        {
            using (timer.Measure(PhaseTimer.LogProbs))
            {
                refLogProbs = new float[trajectories.Count][];
                foreach (var chunk in MicroBatches(trajectories))
                {
                    using var scope = new TensorScope();
                    using var noGrad = Tape.NoGrad();
                    var scores = reference.Score(BatchOf(trajectories, chunk), Options.Temperature);
                    for (var i = 0; i < chunk.Count; i++) refLogProbs[chunk[i]] = scores.LogProbs[i];
                }
            }
        }

        double loss = 0, clipWeighted = 0, klApprox = 0, refKl = 0, entropySum = 0, weightTotal = 0;
        var tokens = 0;
        using (timer.Measure(PhaseTimer.Update))
        {
            Optimizer.ZeroGrad();
            foreach (var chunk in MicroBatches(trajectories))
            {
                using var scope = new TensorScope();
                using var tape = new Tape();
                var batch = BatchOf(trajectories, chunk);
                var scores = model.Score(batch, Options.Temperature);
                var lp = scores.LogProbs;
                var result = ppo.Compute(lp, chunk.Select(i => trajectories[i].OldLogProbs).ToList(), chunk.Select(i => advantages[i]).ToList(),
                    chunk.Select(i => weights[i]).ToList(), clipExempt is null ? null : chunk.Select(i => clipExempt[i]).ToList());
                var dLogProbs = result.LogProbGradients;
                float[][]? dEntropy = Options.EntropyCoefficient > 0 ? new float[chunk.Count][] : null;
                for (var c = 0; c < chunk.Count; c++)
                {
                    var s = chunk[c];
                    var w = weights[s];
                    if (dEntropy is not null) dEntropy[c] = new float[w.Length];
                    for (var t = 0; t < w.Length; t++)
                    {
                        if (w[t] == 0) continue;
                        entropySum += w[t] * scores.Entropies[c][t];
                        if (dEntropy is not null) dEntropy[c][t] = (float)(-Options.EntropyCoefficient * w[t]);
                        if (refLogProbs is not null)
                        {
                            var (kl, g) = KlPenalty.K3(scores.LogProbs[c][t], refLogProbs[s][t]);
                            refKl += w[t] * kl;
                            dLogProbs[c][t] += (float)(Options.KlCoefficient * w[t] * g);
                        }
                    }
                }
                var chunkWeight = chunk.Sum(i => weights[i].Sum());
                loss += result.Loss;
                clipWeighted += result.ClipFraction * chunkWeight;
                klApprox += result.ApproxKl * chunkWeight;
                weightTotal += chunkWeight;
                tokens += scores.Count;
                scores.Backward(dLogProbs, dEntropy);
            }
            var norm = Optimizer.ClipGradientNorm(Options.ClipNorm);
            Optimizer.LearningRate = learningRate;
            Optimizer.Step();
            var wt = Math.Max(weightTotal, 1e-12);
            return new UpdateResult(loss + Options.KlCoefficient * refKl - Options.EntropyCoefficient * entropySum, clipWeighted / wt, klApprox / wt, refKl / wt, entropySum / wt, norm, trajectories.Count, tokens, learningRate);
        }
    }

    private static TokenBatch BatchOf(IReadOnlyList<Trajectory> trajectories, List<int> chunk) =>
        new(chunk.Select(i => trajectories[i].Tokens).ToList(), chunk.Select(i => trajectories[i].LossMask.Select((m, t) => t > 0 && m > 0).ToArray()).ToList());

    private IEnumerable<List<int>> MicroBatches(IReadOnlyList<Trajectory> trajectories)
    {
        var current = new List<int>();
        var budget = 0;
        for (var i = 0; i < trajectories.Count; i++)
        {
            var n = trajectories[i].Tokens.Length;
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
