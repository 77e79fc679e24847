using ToolSharp.Training.Losses;

namespace ToolSharp.Training.Grpo;

/// <summary>How the policy update turns trajectories and advantages into a gradient step.</summary>
/// <param name="Aggregation">How per-token losses combine (token-mean by default, as DAPO).</param>
/// <param name="ClipLow">PPO lower clip ε (ratio ≥ 1 − ε).</param>
/// <param name="ClipHigh">PPO upper clip ε (ratio ≤ 1 + ε); DAPO's clip-higher default 0.28.</param>
/// <param name="KlCoefficient">Weight of the KL to a frozen reference; 0 skips the reference forward entirely.</param>
/// <param name="KlEstimator">k3 (low variance, default) or k1.</param>
/// <param name="EntropyCoefficient">Entropy bonus weight (0 by default).</param>
/// <param name="MicroBatchTokens">Tokens per forward/backward; larger batches accumulate gradients over micro-batches.</param>
/// <param name="ClipNorm">Global gradient-norm clip.</param>
/// <param name="NormLength">Fixed length for <see cref="LossAggregation.SequenceMeanTokenSumNorm"/> (Dr.GRPO).</param>
/// <param name="Temperature">Sampling temperature of the rollouts; log-probs are recomputed at the same temperature.</param>
public sealed record UpdateOptions(
    LossAggregation Aggregation = LossAggregation.TokenMean,
    double ClipLow = 0.2,
    double ClipHigh = 0.28,
    double KlCoefficient = 0,
    double EntropyCoefficient = 0,
    int MicroBatchTokens = 8192,
    double ClipNorm = 1.0,
    int NormLength = 256,
    float Temperature = 1f,
    KlEstimator KlEstimator = KlEstimator.K3);
