namespace ToolSharp.Training.Losses;

/// <summary>Stage 5 of an RL step: the one loss function — PPO-clip surrogate, KL to a frozen reference and entropy
/// bonus as terms of a single weighted sum over tokens.</summary>
/// <remarks>
/// L = Σ_t w_t · (ℓ_PPO(logp_t, logp_old_t, A_t) + β·KL(logp_t, logp_ref_t) − c·H_t), with w_t the aggregation weights
/// (<see cref="TokenWeights"/>), so the same normaliser holds whatever the micro-batch split. Pure: the caller supplies
/// log-probs and entropies from the forward pass and gets the loss and its gradients with respect to both back.
/// </remarks>
/// <param name="Ppo">The clipped surrogate.</param>
/// <param name="KlCoefficient">β; 0 leaves the KL term out (no reference log-probs needed).</param>
/// <param name="Kl">The KL estimator.</param>
/// <param name="EntropyCoefficient">c; 0 leaves the entropy term out.</param>
public sealed record PolicyLoss(PpoClipLoss Ppo, double KlCoefficient = 0, KlEstimator Kl = KlEstimator.K3, double EntropyCoefficient = 0)
{
    /// <summary>Loss, gradients and diagnostics for a batch of sequences (arrays per sequence, per token).</summary>
    /// <param name="logProbs">Current log-probs of the sampled tokens.</param>
    /// <param name="entropies">Current entropies at those positions.</param>
    /// <param name="oldLogProbs">Log-probs at sampling time.</param>
    /// <param name="advantages">Per-token advantages.</param>
    /// <param name="weights">Aggregation weights (0 off the loss mask).</param>
    /// <param name="refLogProbs">Reference log-probs; required when <see cref="KlCoefficient"/> &gt; 0.</param>
    /// <param name="clipExempt">Tokens that use the unclipped surrogate; null for none.</param>
    public PolicyLossResult Compute(IReadOnlyList<float[]> logProbs, IReadOnlyList<float[]> entropies, IReadOnlyList<float[]> oldLogProbs,
        IReadOnlyList<float[]> advantages, IReadOnlyList<float[]> weights, IReadOnlyList<float[]>? refLogProbs = null, IReadOnlyList<bool[]?>? clipExempt = null)
    {
        if (KlCoefficient > 0 && refLogProbs is null) throw new ArgumentNullException(nameof(refLogProbs), "a KL term needs the reference log-probs");
        var dLogProbs = new float[logProbs.Count][];
        var dEntropies = new float[logProbs.Count][];
        double policy = 0, kl = 0, entropy = 0, weightSum = 0, clippedWeight = 0, approxKl = 0;
        for (var s = 0; s < logProbs.Count; s++)
        {
            dLogProbs[s] = new float[logProbs[s].Length];
            dEntropies[s] = new float[logProbs[s].Length];
            for (var t = 0; t < logProbs[s].Length; t++)
            {
                var w = weights[s][t];
                if (w == 0) continue;
                double loss, grad;
                var clipped = false;
                if (clipExempt?[s] is { } exempt && exempt[t])
                {
                    // Exempt tokens (TAO-RL's post-tool tokens, optionally) use the plain policy-gradient surrogate.
                    loss = -advantages[s][t] * Math.Exp(logProbs[s][t] - oldLogProbs[s][t]);
                    grad = loss;
                }
                else
                {
                    (loss, grad) = Ppo.Token(logProbs[s][t], oldLogProbs[s][t], advantages[s][t], out clipped);
                }
                if (KlCoefficient > 0)
                {
                    var (value, g) = Kl == KlEstimator.K1 ? KlPenalty.K1(logProbs[s][t], refLogProbs![s][t]) : KlPenalty.K3(logProbs[s][t], refLogProbs![s][t]);
                    kl += w * value;
                    grad += KlCoefficient * g;
                }
                policy += w * loss;
                entropy += w * entropies[s][t];
                dLogProbs[s][t] = (float)(w * grad);
                if (EntropyCoefficient > 0) dEntropies[s][t] = (float)(-EntropyCoefficient * w);
                weightSum += w;
                if (clipped) clippedWeight += w;
                approxKl += w * (oldLogProbs[s][t] - logProbs[s][t]);
            }
        }
        return new PolicyLossResult(
            Loss: policy + KlCoefficient * kl - EntropyCoefficient * entropy,
            PolicyTerm: policy,
            KlTerm: kl,
            EntropyTerm: entropy,
            Weight: weightSum,
            ClippedWeight: clippedWeight,
            ApproxKlWeighted: approxKl,
            LogProbGradients: dLogProbs,
            EntropyGradients: EntropyCoefficient > 0 ? dEntropies : null);
    }
}

/// <summary>What <see cref="PolicyLoss.Compute"/> returns: the loss and its terms (weighted sums, so micro-batches add
/// up), the gradients per token, and the weight sums behind the clip fraction and the approximate KL.</summary>
public sealed record PolicyLossResult(double Loss, double PolicyTerm, double KlTerm, double EntropyTerm, double Weight, double ClippedWeight,
    double ApproxKlWeighted, float[][] LogProbGradients, float[][]? EntropyGradients);
