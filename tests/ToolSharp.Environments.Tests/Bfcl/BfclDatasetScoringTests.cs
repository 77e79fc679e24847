using System.Text;
using System.Text.Json;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Bfcl;
using ToolSharp.Testing;

namespace ToolSharp.Environments.Tests.Bfcl;

/// <summary>Whole-category checks on the shared BFCL data: the ground truth scores 100%, mutations are caught with BFCL's error types.</summary>
public class BfclDatasetScoringTests
{
    public static TheoryData<string> Categories => new(BfclDataset.Categories);

    private static IReadOnlyList<BfclEntry> Load(string category) => BfclDataset.LoadCategory(SharedData.Path(BfclData.Folder), category);

    private static string ResultsLines(IEnumerable<(string Id, IReadOnlyList<ToolCall> Calls)> results)
    {
        var sb = new StringBuilder();
        foreach (var (id, calls) in results) sb.AppendLine(BfclResults.Line(id, calls));
        return sb.ToString();
    }

    [RequiresDataTheory(BfclData.Folder)]
    [MemberData(nameof(Categories))]
    public void First_possible_answers_score_100_percent(string category)
    {
        var entries = Load(category);
        entries.Count.ShouldBeGreaterThanOrEqualTo(200);
        var results = BfclResults.Parse(ResultsLines(entries.Select(e => (e.Id, BfclGroundTruth.FirstAnswers(e.GroundTruth, e.Functions)))));
        var report = BfclScorer.Score(entries, results);
        report.Failures.ShouldBeEmpty(string.Join("\n", report.Failures.Take(5)));
        report.Accuracy.ShouldBe(1.0);
        report.Total.ShouldBe(entries.Count);
    }

    [RequiresDataTheory(BfclData.Folder)]
    [InlineData("simple_python", "simple_function_checker:")]
    [InlineData("multiple", "simple_function_checker:")]
    [InlineData("parallel", "parallel_function_checker_no_order:cannot_find_match")]
    [InlineData("parallel_multiple", "parallel_function_checker_no_order:cannot_find_match")]
    public void Every_entry_rejects_a_wrong_function_a_missing_required_parameter_and_an_unknown_parameter(string category, string expectedPrefix)
    {
        var entries = Load(category);
        entries.Count.ShouldBeGreaterThanOrEqualTo(200);
        var withoutRequired = 0;
        foreach (var entry in entries)
        {
            var reference = BfclGroundTruth.FirstAnswers(entry.GroundTruth, entry.Functions);
            var first = reference[0];

            Mutated(entry, reference, new ToolCall(first.Name + "_v2", first.Arguments), expectedPrefix, "wrong_func_name");
            Mutated(entry, reference, first.WithArguments(With(first.Arguments, "unknown_parameter", "1")), expectedPrefix, "unexpected_param");

            var required = Required(entry, first.Name).FirstOrDefault(p => first.Arguments.TryGetProperty(p, out _));
            if (required is null) continue;
            Mutated(entry, reference, first.WithArguments(Without(first.Arguments, required)), expectedPrefix, "missing_required");
            withoutRequired++;
        }
        withoutRequired.ShouldBeGreaterThan(entries.Count / 2, "most entries' first call has a required parameter to drop");
    }

    [RequiresDataTheory(BfclData.Folder)]
    [InlineData("simple_python")]
    [InlineData("multiple")]
    public void Every_entry_rejects_a_wrong_integer_or_string_value(string category)
    {
        var checkedCount = 0;
        foreach (var entry in Load(category))
        {
            var call = BfclGroundTruth.FirstAnswers(entry.GroundTruth, entry.Functions)[0];
            foreach (var p in call.Arguments.EnumerateObject())
            {
                string? replacement = p.Value.ValueKind switch
                {
                    JsonValueKind.Number when JsonValues.IsInteger(p.Value) => (p.Value.GetInt64() + 7919).ToString(),
                    JsonValueKind.String => JsonSerializer.Serialize(p.Value.GetString() + " zzz"),
                    _ => null,
                };
                if (replacement is null) continue;
                var result = BfclScorer.Check(entry, [call.WithArguments(With(call.Arguments, p.Name, replacement))]);
                result.Valid.ShouldBeFalse($"{entry.Id}.{p.Name} = {replacement}");
                result.ErrorType.ShouldBeOneOf("value_error:others", "value_error:string");
                checkedCount++;
                break;
            }
        }
        checkedCount.ShouldBeGreaterThan(150);
    }

    private static void Mutated(BfclEntry entry, IReadOnlyList<ToolCall> reference, ToolCall replacement, string expectedPrefix, string rule)
    {
        var calls = reference.ToList();
        calls[0] = replacement;
        var result = BfclScorer.Check(entry, calls);
        result.Valid.ShouldBeFalse($"{entry.Id}: {rule} was not caught");
        // Parallel categories report the unmatched call, as BFCL does; the rule shows in the sub-errors.
        result.ErrorType.ShouldBe(expectedPrefix.EndsWith(':') ? expectedPrefix + rule : expectedPrefix, entry.Id);
    }

    private static IEnumerable<string> Required(BfclEntry entry, string function) =>
        entry.Functions.EnumerateArray().Where(f => f.GetProperty("name").GetString() == function)
            .SelectMany(f => f.GetProperty("parameters").TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()!) : []);

    private static JsonElement With(JsonElement args, string name, string valueJson) => JsonValues.Build(w =>
    {
        w.WriteStartObject();
        foreach (var p in args.EnumerateObject()) if (p.Name != name) p.WriteTo(w);
        w.WritePropertyName(name);
        w.WriteRawValue(valueJson);
        w.WriteEndObject();
    });

    private static JsonElement Without(JsonElement args, string name) => JsonValues.Build(w =>
    {
        w.WriteStartObject();
        foreach (var p in args.EnumerateObject()) if (p.Name != name) p.WriteTo(w);
        w.WriteEndObject();
    });
}
