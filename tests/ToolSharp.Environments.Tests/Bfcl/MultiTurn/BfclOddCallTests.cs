using System.Text;
using System.Text.Json;
using ToolSharp.Environments.Bfcl.Backends;
using ToolSharp.Environments.Bfcl.MultiTurn;
using ToolSharp.Testing;
using Xunit.Abstractions;

namespace ToolSharp.Environments.Tests.Bfcl.MultiTurn;

/// <summary>Calls a model might write that the ground truth never does — every method with missing, surplus,
/// positional and wrongly typed arguments, unknown and refused names, syntax BFCL rejects — executed after a turn of
/// ground truth on a real entry of each class: each result string must equal BFCL's Python's.</summary>
public class BfclOddCallTests(ITestOutputHelper output)
{
    private static readonly string[] Values = ["7", "-3", "2.5", "'x'", "''", "None", "True", "[1, 'a']", "{'a': 1}", "('t',)", "1e309", "'../a/b'", "NESTED"];

    [RequiresBfclPythonFact]
    public void Odd_calls_give_the_result_strings_bfcl_python_gives()
    {
        var entries = BfclMultiTurnData.All();
        var cases = new List<(int Number, BfclMultiTurnEntry Entry, List<List<List<string>>> Result)>();
        foreach (var className in BfclApiCatalog.DocFiles.Keys)
        {
            foreach (var entry in entries.Where(e => e.InvolvedClasses.Contains(className)).Take(2).Append(entries.Last(e => e.InvolvedClasses.Contains(className))))
            {
                var api = BfclApiCatalog.Create(className, new BfclRuntime(BfclMultiTurnOptions.Default));
                // A nested call of one of the class's methods without parameters, evaluated before the outer call.
                var nested = api.Methods.Values.FirstOrDefault(m => m.Parameters.Count == 0)?.Name + "()";
                foreach (var value in Values.Select(v => v == "NESTED" ? nested : v))
                {
                    var odd = api.Methods.Values.SelectMany(m => Calls(m, value)).ToList();
                    var first = entry.GroundTruth[0].ToList();
                    var result = entry.GroundTruth.Select((t, i) => i == 0 ? [first.Concat(odd).ToList()] : t.Count == 0 ? new List<List<string>>() : [t.ToList()]).ToList();
                    cases.Add((cases.Count, entry, result));
                }
            }
        }
        var report = Path.Combine(Path.GetTempPath(), "bfcl-odd-call-mismatches.txt");
        File.Delete(report);
        using var folder = new TempDirectory();
        var file = Path.Combine(folder.Path, "cases.jsonl");
        File.WriteAllLines(file, cases.Select(c => JsonSerializer.Serialize(new { @case = c.Number, id = c.Entry.Id, result = c.Result })), new UTF8Encoding(false));
        var (options, lines) = BfclPython.Run("check", "--cases", file);
        lines.Count.ShouldBe(cases.Count);

        var mismatches = new List<string>();
        var compared = 0;
        var errors = 0;
        foreach (var (c, line) in cases.Zip(lines))
        {
            var verdict = BfclMultiTurnChecker.Check(c.Entry, c.Result.Select(t => (IReadOnlyList<IReadOnlyList<string>>)t.Select(s => (IReadOnlyList<string>)s).ToList()).ToList(), options);
            var expected = line.GetProperty("model_results").EnumerateArray().SelectMany(step => step.EnumerateArray().Select(r => r.GetString()!)).ToList();
            var actual = verdict.ModelResults.SelectMany(turn => turn).SelectMany(step => step).ToList();
            var calls = c.Result.SelectMany(t => t).SelectMany(s => s).ToList();
            actual.Count.ShouldBe(expected.Count, $"case {c.Number}");
            for (var i = 0; i < expected.Count; i++)
            {
                compared++;
                if (expected[i].StartsWith("Error during execution", StringComparison.Ordinal)) errors++;
                if (expected[i] != actual[i] && !SameSetPrinted(expected[i], actual[i]))
                    mismatches.Add($"{c.Entry.Id}: {calls[i]}\n  python: {expected[i]}\n  csharp: {actual[i]}");
            }
            var valid = line.GetProperty("valid").GetBoolean();
            var errorType = line.GetProperty("error_type").ValueKind == JsonValueKind.String ? line.GetProperty("error_type").GetString() : null;
            if (verdict.Valid != valid || verdict.ErrorType != errorType) mismatches.Add($"case {c.Number}: python {errorType}, csharp {verdict.ErrorType}");
        }
        if (mismatches.Count > 0) File.WriteAllLines(report, mismatches);
        output.WriteLine($"{cases.Count} cases, {compared} results compared, {errors} of them errors");
        mismatches.Distinct().Take(25).ShouldBeEmpty($"{mismatches.Count} mismatches of {compared}");
        errors.ShouldBeGreaterThan(compared / 4);
    }

    /// <summary>The odd calls for one method and one value: every argument that value, one argument left out, one
    /// surplus keyword and positional argument.</summary>
    private static IEnumerable<string> Calls(BfclMethod method, string value)
    {
        var names = method.Parameters.Select(p => p.Name).ToList();
        yield return $"{method.Name}({string.Join(", ", names.Select(n => $"{n}={value}"))})";
        yield return $"{method.Name}({string.Join(", ", names.Select(_ => value))})";
        if (value == "7")
        {
            yield return $"{method.Name}()";
            yield return $"{method.Name}({string.Join(", ", names.Select(_ => "1").Append("2"))})";
            yield return $"{method.Name}(unknown_argument=1)";
            if (names.Count > 0) yield return $"{method.Name}({value}, {names[0]}={value})";
            if (names.Count > 1) yield return $"{method.Name}({names[0]}={value}, {value})";
            if (names.Count > 0) yield return $"{method.Name}({names[0]}={value}, {names[0]}={value})";
            yield return $"nonexistent_{method.Name}({value})";
            yield return $"kill({value})";
            yield return $"os.remove({value})";
            yield return $"{method.Name}({string.Join(", ", names.Select(n => $"{n}=\"say {method.Name}(now)\""))})";
        }
    }

    // BFCL prints a few Python sets whose order changes with the process's string hashing.
    private static bool SameSetPrinted(string a, string b) =>
        a.Contains("Must be one of {", StringComparison.Ordinal) || a.Contains("Invalid fields for update", StringComparison.Ordinal)
            ? Sorted(a) == Sorted(b)
            : false;

    private static string Sorted(string s) => new(s.Order().ToArray());
}
