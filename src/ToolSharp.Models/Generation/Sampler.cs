using ToolSharp.Core.Randomness;

namespace ToolSharp.Models.Generation;

/// <summary>Draws a token from logits and reports its log-prob and the distribution's entropy.</summary>
public static class Sampler
{
    /// <summary>One sampled token with its log-prob and the entropy of the (temperature-scaled) distribution.</summary>
    public readonly record struct Draw(int Token, float LogProb, float Entropy);

    public static Draw Sample(ReadOnlySpan<float> logits, SamplingOptions options, SeededRandom rng)
    {
        var vocab = logits.Length;
        var t = options.IsGreedy ? 1f : options.Temperature;
        var scaled = new float[vocab];
        var max = float.NegativeInfinity;
        for (var i = 0; i < vocab; i++)
        {
            scaled[i] = logits[i] / t;
            if (scaled[i] > max) max = scaled[i];
        }
        double sum = 0;
        var p = new double[vocab];
        for (var i = 0; i < vocab; i++)
        {
            p[i] = Math.Exp(scaled[i] - max);
            sum += p[i];
        }
        var logZ = max + Math.Log(sum);
        double entropy = 0;
        for (var i = 0; i < vocab; i++)
        {
            p[i] /= sum;
            if (p[i] > 0) entropy -= p[i] * (scaled[i] - logZ);
        }

        int token;
        if (options.IsGreedy)
        {
            token = 0;
            for (var i = 1; i < vocab; i++) if (scaled[i] > scaled[token]) token = i;
        }
        else
        {
            token = Draws(p, options, rng);
        }
        return new Draw(token, (float)(scaled[token] - logZ), (float)entropy);
    }

    /// <summary>The <paramref name="count"/> most likely tokens (ties by id) with their log-probs under the same
    /// distribution <see cref="Sample"/> reports (temperature-scaled, before truncation).</summary>
    public static TokenLogProb[] TopLogProbs(ReadOnlySpan<float> logits, SamplingOptions options, int count)
    {
        var t = options.IsGreedy ? 1f : options.Temperature;
        var max = float.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l / t);
        double sum = 0;
        foreach (var l in logits) sum += Math.Exp(l / t - max);
        var logZ = max + Math.Log(sum);
        var scores = logits.ToArray();
        var order = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(count);
        return order.Select(i => new TokenLogProb(i, (float)(scores[i] / t - logZ))).ToArray();
    }

    private static int Draws(double[] p, SamplingOptions options, SeededRandom rng)
    {
        var vocab = p.Length;
        if ((options.TopK <= 0 || options.TopK >= vocab) && options.TopP >= 1f)
        {
            var u = rng.NextDouble();
            double acc = 0;
            for (var i = 0; i < vocab; i++)
            {
                acc += p[i];
                if (u < acc) return i;
            }
            return LastNonZero(p);
        }
        // Truncate: sort by probability (ties by id), keep top-k, then the smallest prefix reaching top-p.
        var order = Enumerable.Range(0, vocab).OrderByDescending(i => p[i]).ThenBy(i => i).ToArray();
        var keep = options.TopK > 0 ? Math.Min(options.TopK, vocab) : vocab;
        if (options.TopP < 1f)
        {
            double acc = 0;
            for (var r = 0; r < keep; r++)
            {
                acc += p[order[r]];
                if (acc >= options.TopP)
                {
                    keep = r + 1;
                    break;
                }
            }
        }
        double mass = 0;
        for (var r = 0; r < keep; r++) mass += p[order[r]];
        var target = rng.NextDouble() * mass;
        double run = 0;
        for (var r = 0; r < keep; r++)
        {
            run += p[order[r]];
            if (target < run) return order[r];
        }
        return order[keep - 1];
    }

    private static int LastNonZero(double[] p)
    {
        for (var i = p.Length - 1; i >= 0; i--) if (p[i] > 0) return i;
        return 0;
    }
}
