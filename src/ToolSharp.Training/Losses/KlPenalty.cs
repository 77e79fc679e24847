namespace ToolSharp.Training.Losses;

/// <summary>Per-token KL estimators between the policy and a frozen reference, with their gradients in logp.</summary>
/// <remarks>
/// <c>k1</c> = logp − logp_ref (unbiased, high variance); <c>k3</c> ("low_var_kl", Schulman) =
/// exp(logp_ref − logp) − (logp_ref − logp) − 1, always ≥ 0. With a coefficient of zero the trainer skips the
/// reference model entirely, so these are only evaluated when a reference exists.
/// </remarks>
public static class KlPenalty
{
    public static (double Value, double Gradient) K1(double logProb, double refLogProb) => (logProb - refLogProb, 1.0);

    public static (double Value, double Gradient) K3(double logProb, double refLogProb)
    {
        var d = refLogProb - logProb;
        var e = Math.Exp(d);
        return (e - d - 1, -e + 1);
    }
}
