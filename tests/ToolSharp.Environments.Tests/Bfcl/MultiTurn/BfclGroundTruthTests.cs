using ToolSharp.Environments.Bfcl.Backends;
using ToolSharp.Environments.Bfcl.MultiTurn;
using ToolSharp.Testing;

namespace ToolSharp.Environments.Tests.Bfcl.MultiTurn;

/// <summary>The ground truth of all 800 multi-turn entries, replayed through ToolSharp's backends and checker, and
/// compared call by call and state by state with BFCL's own Python.</summary>
public class BfclGroundTruthTests
{
    [RequiresDataFact(BfclMultiTurnData.Folder, BfclPython.Reference)]
    public void Every_ground_truth_passes_the_checker()
    {
        var entries = BfclMultiTurnData.All();
        entries.Count.ShouldBe(800);
        var failures = entries
            .Select(e => (e.Id, Verdict: BfclMultiTurnChecker.Check(e, BfclMultiTurnData.TruthAsResult(e))))
            .Where(v => !v.Verdict.Valid)
            .Select(v => $"{v.Id}: {v.Verdict.ErrorType} turn {v.Verdict.Turn} {v.Verdict.Details}")
            .ToList();
        failures.ShouldBeEmpty();
    }

    [RequiresBfclPythonFact]
    public void Every_result_string_and_every_state_after_each_turn_equals_bfcl_python()
    {
        var (options, lines) = BfclPython.Run("replay");
        var entries = BfclMultiTurnData.All().ToDictionary(e => e.Id);
        lines.Count.ShouldBe(800);
        var mismatches = new List<string>();
        int results = 0, states = 0, internalErrors = 0;
        foreach (var line in lines)
        {
            var entry = entries[line.GetProperty("id").GetString()!];
            var instances = new BfclInstances(entry, options.ModelName, new BfclRuntime(options));
            var expectedResults = line.GetProperty("results");
            var expectedStates = line.GetProperty("states");
            for (var turn = 0; turn < entry.GroundTruth.Count; turn++)
            {
                var actual = instances.Execute(entry.GroundTruth[turn]);
                var expected = expectedResults[turn].EnumerateArray().Select(r => r.GetString()!).ToList();
                for (var i = 0; i < expected.Count; i++)
                {
                    results++;
                    if (actual[i] != expected[i]) mismatches.Add($"{entry.Id} turn {turn} {entry.GroundTruth[turn][i]}:\n  python: {expected[i]}\n  csharp: {actual[i]}");
                }
                foreach (var state in expectedStates[turn].EnumerateObject())
                {
                    states++;
                    var dump = BfclStateJson.Dump(instances.Classes[state.Name]);
                    if (dump != state.Value.GetString()) mismatches.Add($"{entry.Id} turn {turn} {state.Name} state:\n  python: {Around(state.Value.GetString()!, dump)}\n  csharp: {Around(dump, state.Value.GetString()!)}");
                }
            }
            internalErrors += instances.InternalErrors;
        }
        mismatches.Take(10).ShouldBeEmpty($"{mismatches.Count} of {results} results and {states} states differ");
        internalErrors.ShouldBe(0);
        results.ShouldBe(4625);
        states.ShouldBe(5630);
    }

    // The part of a long text where it starts to differ from another.
    private static string Around(string text, string other)
    {
        var i = 0;
        while (i < text.Length && i < other.Length && text[i] == other[i]) i++;
        var start = Math.Max(0, i - 80);
        return (start > 0 ? "…" : "") + text[start..Math.Min(text.Length, i + 120)];
    }
}
