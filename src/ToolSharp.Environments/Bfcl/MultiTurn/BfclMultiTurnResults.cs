using System.Text.Json;
using ToolSharp.Core.Json;

namespace ToolSharp.Environments.Bfcl.MultiTurn;

/// <summary>
/// Multi-turn model results to score: one JSON object per line, <c>{"id": …, "result": [turn][step][call]}</c>, each
/// call a Python call string (BFCL's decoded form, <c>"cd(folder='document')"</c>) or <c>{"name", "arguments"}</c>
/// (arguments an object or a JSON string holding one, turned into the string BFCL's function-calling decoder makes).
/// </summary>
/// <remarks>
/// As BFCL's runner, a step that cannot be decoded (a call that is neither form, or does not parse as a call) and an
/// empty step are dropped; a result that is not a list scores <c>multi_turn:inference_error</c>. A line that is not
/// JSON or has no string id is a <see cref="BfclResults.Problem"/>; a second line for an id makes that id an inference error.
/// </remarks>
public sealed class BfclMultiTurnResults
{
    /// <summary>One id's result: the decoded steps per turn, or null when the result was not a list of turns.</summary>
    public sealed record Entry(string Id, int Line, IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>>? Turns, int DroppedSteps);

    private BfclMultiTurnResults(IReadOnlyDictionary<string, Entry> entries, IReadOnlyList<BfclResults.Problem> problems)
    {
        Entries = entries;
        Problems = problems;
    }

    public IReadOnlyDictionary<string, Entry> Entries { get; }

    /// <summary>Lines that were malformed, repeated an id or had no list of turns.</summary>
    public IReadOnlyList<BfclResults.Problem> Problems { get; }

    public static BfclMultiTurnResults Parse(string text)
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var problems = new List<BfclResults.Problem>();
        foreach (var (lineNumber, id, e) in BfclResultLines.Read(text, "a string \"id\" and a \"result\" list of turns", problems))
        {
            if (entries.ContainsKey(id))
            {
                problems.Add(new BfclResults.Problem(lineNumber, id, $"a second result for id '{id}' (first on line {entries[id].Line}); scored as an inference error"));
                entries[id] = entries[id] with { Turns = null };
                continue;
            }
            if (!e.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Array)
            {
                var found = e.TryGetProperty("result", out var r) ? JsonValues.SchemaTypeName(r) : "nothing";
                problems.Add(new BfclResults.Problem(lineNumber, id, $"\"result\": expected a list of turns (each a list of steps, each a list of calls), found {found}"));
                entries[id] = new Entry(id, lineNumber, null, 0);
                continue;
            }
            var dropped = 0;
            var turns = new List<IReadOnlyList<IReadOnlyList<string>>>();
            foreach (var turn in result.EnumerateArray())
            {
                var steps = new List<IReadOnlyList<string>>();
                if (turn.ValueKind == JsonValueKind.Array)
                {
                    foreach (var step in turn.EnumerateArray())
                    {
                        var calls = DecodeStep(step);
                        if (calls is null || calls.Count == 0) dropped++;
                        else steps.Add(calls);
                    }
                }
                else dropped++;
                turns.Add(steps);
            }
            entries[id] = new Entry(id, lineNumber, turns, dropped);
        }
        return new BfclMultiTurnResults(entries, problems);
    }

    /// <summary>The call strings of one step, or null when one of its calls cannot be decoded.</summary>
    private static List<string>? DecodeStep(JsonElement step)
    {
        if (step.ValueKind != JsonValueKind.Array) return null;
        var calls = new List<string>();
        foreach (var call in step.EnumerateArray())
        {
            var text = DecodeCall(call);
            if (text is null) return null;
            calls.Add(text);
        }
        return calls;
    }

    private static string? DecodeCall(JsonElement call)
    {
        switch (call.ValueKind)
        {
            case JsonValueKind.String:
                var s = call.GetString()!;
                return BfclCallText.IsCall(s, out _) ? s : null;
            case JsonValueKind.Object when call.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String:
                var arguments = call.TryGetProperty("arguments", out var a) ? a : JsonValues.EmptyObject;
                if (arguments.ValueKind == JsonValueKind.String)
                {
                    if (!JsonValues.TryParse(arguments.GetString()!, out var decoded, out _, out _)) return null;
                    arguments = decoded;
                }
                return arguments.ValueKind == JsonValueKind.Object ? BfclCallText.FunctionCalling(name.GetString()!, arguments) : null;
            default:
                return null;
        }
    }
}
