namespace ToolSharp.Training.Losses;

/// <summary>The per-token PPO clipped surrogate with decoupled clip range (DAPO's clip-higher) and optional dual clip.</summary>
/// <remarks>
/// loss_t = max(−A·ρ, −A·clip(ρ, 1−ε_low, 1+ε_high)), ρ = exp(logp − logp_old). With dual clip (c &gt; 1) the loss of
/// a negative-advantage token is additionally capped at −A·c. The gradient with respect to logp is −A·ρ where the
/// unclipped branch is active and 0 where a clip is active. Pure: the caller supplies log-probs and gets losses and
/// gradients back; the engine back-propagates the gradients.
/// </remarks>
public sealed record PpoClipLoss(double ClipLow = 0.2, double ClipHigh = 0.28, double? DualClip = null)
{
    /// <summary>Loss and d loss / d logp for one token; <paramref name="clipped"/> reports whether a clip bound was active.</summary>
    public (double Loss, double Gradient) Token(double logProb, double oldLogProb, double advantage, out bool clipped)
    {
        var ratio = Math.Exp(logProb - oldLogProb);
        var unclipped = -advantage * ratio;
        var clippedRatio = Math.Clamp(ratio, 1 - ClipLow, 1 + ClipHigh);
        var clippedLoss = -advantage * clippedRatio;
        double loss, grad;
        if (unclipped >= clippedLoss)
        {
            loss = unclipped;
            grad = -advantage * ratio;
            clipped = false;
        }
        else
        {
            loss = clippedLoss;
            grad = 0;
            clipped = true;
        }
        if (DualClip is { } c && advantage < 0 && loss > -advantage * c)
        {
            loss = -advantage * c;
            grad = 0;
            clipped = true;
        }
        return (loss, grad);
    }
}
