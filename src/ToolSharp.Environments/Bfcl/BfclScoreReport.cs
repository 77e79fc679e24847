namespace ToolSharp.Environments.Bfcl;

/// <summary>The outcome of scoring a results file: accuracy over the questions, and why each failed id failed.</summary>
public sealed record BfclScoreReport(int Correct, int Total, IReadOnlyList<BfclScoreReport.Failure> Failures, IReadOnlyList<BfclResults.Problem> Problems)
{
    /// <summary>A failed question: its id and the BFCL error type and messages.</summary>
    public sealed record Failure(string Id, string ErrorType, IReadOnlyList<string> Errors);

    /// <summary>Correct / total (0 when there are no questions).</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;
}
