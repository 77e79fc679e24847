using ToolSharp.Environments.Bfcl.Backends;

namespace ToolSharp.Environments.Bfcl.MultiTurn;

/// <summary>Scores a multi-turn results file against BFCL entries with <see cref="BfclMultiTurnChecker"/>.</summary>
/// <remarks>Every question counts once; one without a result line fails with <c>result:missing</c>; result lines for
/// ids that are not among the questions are reported and not counted.</remarks>
public static class BfclMultiTurnScorer
{
    public static BfclMultiTurnScoreReport Score(IReadOnlyList<BfclMultiTurnEntry> entries, BfclMultiTurnResults results, BfclMultiTurnOptions? options = null)
    {
        var failures = new List<BfclMultiTurnScoreReport.Failure>();
        var categories = new List<BfclMultiTurnScoreReport.Category>();
        foreach (var group in entries.GroupBy(e => e.Category))
        {
            var correct = 0;
            foreach (var entry in group)
            {
                var verdict = Check(entry, results, options);
                if (verdict.Valid) correct++;
                else failures.Add(new BfclMultiTurnScoreReport.Failure(entry.Id, verdict.ErrorType!, verdict.Message!, verdict.Turn));
            }
            categories.Add(new BfclMultiTurnScoreReport.Category(group.Key, correct, group.Count()));
        }
        var known = entries.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var problems = results.Problems.ToList();
        foreach (var entry in results.Entries.Values.Where(r => !known.Contains(r.Id)).OrderBy(r => r.Line))
            problems.Add(new BfclResults.Problem(entry.Line, entry.Id, $"id '{entry.Id}' is not among the questions; ignored"));
        return new BfclMultiTurnScoreReport(categories, failures, problems);
    }

    /// <summary>The checker's verdict for one entry given the parsed results.</summary>
    public static BfclMultiTurnVerdict Check(BfclMultiTurnEntry entry, BfclMultiTurnResults results, BfclMultiTurnOptions? options = null)
    {
        if (!results.Entries.TryGetValue(entry.Id, out var result)) return BfclMultiTurnVerdict.Fail("result:missing", $"no result line for '{entry.Id}'");
        if (result.Turns is null)
        {
            return BfclMultiTurnVerdict.Fail("multi_turn:inference_error",
                "Error during inference phase. Model did not output a list of model responses.");
        }
        return BfclMultiTurnChecker.Check(entry, result.Turns, options);
    }
}
