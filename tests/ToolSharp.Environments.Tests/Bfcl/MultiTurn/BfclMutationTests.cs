using System.Text;
using System.Text.Json;
using ToolSharp.Environments.Bfcl.MultiTurn;
using ToolSharp.Testing;
using Xunit.Abstractions;

namespace ToolSharp.Environments.Tests.Bfcl.MultiTurn;

/// <summary>ToolSharp's checker against BFCL's Python checker on mutated ground truth: the same verdict and error
/// type on every case, and the same result string for every call the model side executed.</summary>
public class BfclMutationTests(ITestOutputHelper output)
{
    private const int Cases = 420;

    [RequiresBfclPythonFact]
    public void Verdicts_and_result_strings_equal_bfcl_python_on_mutated_ground_truth()
    {
        var entries = BfclMultiTurnData.All();
        var cases = BfclMutations.Generate(entries, Cases, seed: 20260323).ToList();
        using var folder = new TempDirectory();
        var file = Path.Combine(folder.Path, "cases.jsonl");
        File.WriteAllLines(file, cases.Select(c => JsonSerializer.Serialize(new { @case = c.Number, id = c.Id, result = c.Result })), new UTF8Encoding(false));
        var (options, lines) = BfclPython.Run("check", "--cases", file);
        lines.Count.ShouldBe(Cases);

        var byId = entries.ToDictionary(e => e.Id);
        var mismatches = new List<string>();
        var calls = 0;
        var invalid = 0;
        var kinds = new Dictionary<string, int>();
        foreach (var (c, line) in cases.Zip(lines))
        {
            kinds[c.Kind] = kinds.GetValueOrDefault(c.Kind) + 1;
            var verdict = BfclMultiTurnChecker.Check(byId[c.Id], c.Result.Select(t => (IReadOnlyList<IReadOnlyList<string>>)t.Select(s => (IReadOnlyList<string>)s).ToList()).ToList(), options);
            var valid = line.GetProperty("valid").GetBoolean();
            var errorType = line.GetProperty("error_type").ValueKind == JsonValueKind.String ? line.GetProperty("error_type").GetString() : null;
            if (!valid) invalid++;
            if (verdict.Valid != valid || verdict.ErrorType != errorType)
                mismatches.Add($"case {c.Number} {c.Id} ({c.Kind}): python {valid} {errorType}, csharp {verdict.Valid} {verdict.ErrorType} turn {verdict.Turn} {verdict.Details}");
            var expected = line.GetProperty("model_results").EnumerateArray().Select(step => step.EnumerateArray().Select(r => r.GetString()!).ToList()).ToList();
            var actual = verdict.ModelResults.SelectMany(turn => turn).ToList();
            for (var s = 0; s < Math.Min(expected.Count, actual.Count); s++)
            {
                for (var r = 0; r < expected[s].Count; r++)
                {
                    calls++;
                    if (expected[s][r] != actual[s][r]) mismatches.Add($"case {c.Number} {c.Id} ({c.Kind}) step {s}:\n  python: {expected[s][r]}\n  csharp: {actual[s][r]}");
                }
            }
            if (expected.Count != actual.Count) mismatches.Add($"case {c.Number} {c.Id}: python ran {expected.Count} model steps, csharp {actual.Count}");
        }
        var types = cases.Zip(lines).GroupBy(p => p.Second.GetProperty("error_type").ToString()).Select(g => $"{g.Key}: {g.Count()}");
        output.WriteLine($"{Cases} cases ({string.Join(", ", kinds.Select(k => $"{k.Key} {k.Value}"))}), {calls} model calls compared; verdicts: {string.Join(", ", types)}");
        mismatches.Take(15).ShouldBeEmpty($"{mismatches.Count} mismatches over {Cases} cases and {calls} calls");
        invalid.ShouldBeGreaterThan(Cases / 3);
        (Cases - invalid).ShouldBeGreaterThan(Cases / 10);
        kinds.Count.ShouldBe(BfclMutations.Kinds);
    }
}
