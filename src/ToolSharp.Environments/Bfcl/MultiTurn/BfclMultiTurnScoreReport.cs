namespace ToolSharp.Environments.Bfcl.MultiTurn;

/// <summary>The outcome of scoring multi-turn results: per category and overall, and why each failed entry failed.</summary>
public sealed record BfclMultiTurnScoreReport(
    IReadOnlyList<BfclMultiTurnScoreReport.Category> Categories,
    IReadOnlyList<BfclMultiTurnScoreReport.Failure> Failures,
    IReadOnlyList<BfclResults.Problem> Problems)
{
    /// <summary>One category's count of correct entries.</summary>
    public sealed record Category(string Name, int Correct, int Total)
    {
        public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;
    }

    /// <summary>A failed entry: BFCL's error type, message and the failing turn (when there is one).</summary>
    public sealed record Failure(string Id, string ErrorType, string Message, int? Turn);

    public int Correct => Categories.Sum(c => c.Correct);

    public int Total => Categories.Sum(c => c.Total);

    /// <summary>Correct / total over all entries scored.</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;

    /// <summary>BFCL's "Multi Turn Overall": the unweighted mean of the categories' accuracies.</summary>
    public double Overall => Categories.Count == 0 ? 0 : Categories.Average(c => c.Accuracy);
}
