using ToolSharp.Core.Tools;

namespace ToolSharp.Environments.Bfcl;

/// <summary>Scores a results file against BFCL entries with <see cref="BfclAstChecker"/>.</summary>
/// <remarks>
/// Every question counts once. A question without a result line fails with <c>result:missing</c>; one whose line was
/// malformed or repeated fails with <c>ast_decoder:decoder_failed</c> (BFCL's type for output it cannot decode).
/// Result lines for ids that are not among the questions are reported as problems and not counted.
/// </remarks>
public static class BfclScorer
{
    public static BfclScoreReport Score(IReadOnlyList<BfclEntry> entries, BfclResults results, BfclCheckerOptions? options = null)
    {
        var failures = new List<BfclScoreReport.Failure>();
        var correct = 0;
        var problems = results.Problems.ToList();
        var known = entries.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var result = Check(entry, results, options);
            if (result.Valid) correct++;
            else failures.Add(new BfclScoreReport.Failure(entry.Id, result.ErrorType, result.Errors));
        }
        foreach (var id in results.Calls.Keys.Where(id => !known.Contains(id)).Order(StringComparer.Ordinal))
            problems.Add(new BfclResults.Problem(0, id, $"id '{id}' is not among the questions; ignored"));
        return new BfclScoreReport(correct, entries.Count, failures, problems);
    }

    /// <summary>The checker's verdict for one entry given the parsed results.</summary>
    public static BfclCheckResult Check(BfclEntry entry, BfclResults results, BfclCheckerOptions? options = null)
    {
        if (results.Calls.TryGetValue(entry.Id, out var calls)) return Check(entry, calls, options);
        var problem = results.Problems.FirstOrDefault(p => p.Id == entry.Id);
        return problem is not null
            ? BfclCheckResult.Fail("ast_decoder:decoder_failed", $"results line {problem.Line}: {problem.Message}")
            : BfclCheckResult.Fail("result:missing", $"no result line for '{entry.Id}'");
    }

    /// <summary>The checker's verdict for one entry and a model's calls.</summary>
    public static BfclCheckResult Check(BfclEntry entry, IReadOnlyList<ToolCall> calls, BfclCheckerOptions? options = null) =>
        BfclAstChecker.Check(entry.Category, entry.Functions, calls, entry.GroundTruth, options);
}
