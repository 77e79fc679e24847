namespace ToolSharp.Training.Losses;

/// <summary>Which per-token estimator of KL(policy ‖ reference) the loss uses (see <see cref="KlPenalty"/>).</summary>
public enum KlEstimator
{
    /// <summary>logp − logp_ref: unbiased, high variance.</summary>
    K1,
    /// <summary>exp(logp_ref − logp) − (logp_ref − logp) − 1: always ≥ 0, low variance (verl's <c>low_var_kl</c>).</summary>
    K3,
}
