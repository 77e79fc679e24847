namespace ToolSharp.Evaluation.Statistics;

/// <summary>A point estimate with a two-sided confidence interval.</summary>
public readonly record struct ConfidenceInterval(double Estimate, double Low, double High)
{
    public double Width => High - Low;
}
