namespace ToolSharp.Training.Advantages;

/// <summary>Which outcome-advantage estimator turns group rewards into per-rollout advantages.</summary>
public enum AdvantageEstimator
{
    /// <summary>GRPO: (r − mean) / (std + ε), std with Bessel's correction as in verl; a group of one gets 0.</summary>
    Grpo,
    /// <summary>Dr.GRPO: r − mean (no std normalisation; pair it with sequence-sum loss aggregation).</summary>
    DrGrpo,
    /// <summary>RLOO: r − mean of the other rollouts of the group = n/(n−1)·(r − mean).</summary>
    Rloo,
}
