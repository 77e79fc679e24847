using MathNet.Numerics.Distributions;

namespace ToolSharp.Training.Benchmarks;

/// <summary>Confidence intervals for a mean over a handful of seeds.</summary>
public static class SeedInterval
{
    /// <summary>Student-t 95% interval of the mean (a single value gives a zero-width interval).</summary>
    public static (double Low, double High) Mean95(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return (0, 0);
        var mean = values.Average();
        if (values.Count == 1) return (mean, mean);
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        var half = StudentT.InvCDF(0, 1, values.Count - 1, 0.975) * sd / Math.Sqrt(values.Count);
        return (mean - half, mean + half);
    }
}
