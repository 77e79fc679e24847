using System.Collections.Concurrent;
using System.Text.Json;
using ToolSharp.Core.Errors;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.WireFormats;
using ToolSharp.Environments.Bfcl.Backends;
namespace ToolSharp.Environments.Bfcl.MultiTurn;

/// <summary>Reads BFCL's multi-turn question and possible-answer files (JSON lines), aligned by line as BFCL aligns them.</summary>
public static class BfclMultiTurnDataset
{
    /// <summary>The four multi-turn categories of BFCL v4.</summary>
    public static IReadOnlyList<string> Categories { get; } =
        ["multi_turn_base", "multi_turn_miss_func", "multi_turn_miss_param", "multi_turn_long_context"];

    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<BfclMultiTurnEntry>>> Cache = new();

    /// <summary>True when the questions file holds multi-turn entries (its first entry has <c>involved_classes</c>).</summary>
    public static bool IsMultiTurnFile(string questionsPath)
    {
        foreach (var (_, e) in BfclDataset.ReadLines(questionsPath)) return e.TryGetProperty("involved_classes", out _);
        return false;
    }

    /// <summary>A category from a BFCL folder (<c>BFCL_v4_{category}.json</c> and <c>possible_answer/</c>), loaded once per process.</summary>
    public static IReadOnlyList<BfclMultiTurnEntry> LoadCategory(string folder, string category) =>
        Cache.GetOrAdd(Path.GetFullPath(Path.Combine(folder, category)), _ => new Lazy<IReadOnlyList<BfclMultiTurnEntry>>(() =>
        {
            var (questions, answers) = BfclDataset.Files(folder, category);
            return Load(questions, answers ?? throw new ToolSharpException($"{Path.Combine(folder, "possible_answer")}: no answers for {category}"));
        })).Value;

    /// <summary>Reads a questions file and its possible-answer file; line i of one belongs to line i of the other.</summary>
    public static IReadOnlyList<BfclMultiTurnEntry> Load(string questionsPath, string answersPath)
    {
        var answers = BfclDataset.ReadLines(answersPath).Select(l => (l.Line, Truth: ReadTruth(l.Value, answersPath, l.Line), Id: l.Value.TryGetProperty("id", out var id) ? id.GetString() : null)).ToList();
        var entries = new List<BfclMultiTurnEntry>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var (line, e) in BfclDataset.ReadLines(questionsPath))
        {
            var id = e.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.String
                ? idValue.GetString()!
                : throw new InputFormatException(questionsPath, "id", "a string", Describe(e, "id"), line);
            if (!ids.Add(id)) throw new InputFormatException(questionsPath, "id", "unique ids", $"'{id}' a second time", line);
            if (index >= answers.Count)
                throw new InputFormatException(answersPath, "", $"a ground truth for question '{id}' (line {index + 1}; answers align with questions by line)", "end of file");
            var (answerLine, truth, answerId) = answers[index];
            if (answerId is not null && answerId != id)
                throw new InputFormatException(answersPath, "id", $"'{id}' (the question on line {line})", $"'{answerId}'", answerLine);
            var turns = BfclDataset.ReadTurns(e, questionsPath, line);
            if (truth.Count != turns.Count)
                throw new InputFormatException(answersPath, "ground_truth", $"{turns.Count} turns (as question '{id}' has)", $"{truth.Count}", answerLine);
            var classes = ReadStrings(e, "involved_classes", questionsPath, line);
            foreach (var c in classes)
                if (!BfclApiCatalog.IsKnown(c)) throw new InputFormatException(questionsPath, "involved_classes", "one of " + string.Join(", ", BfclApiCatalog.DocFiles.Keys), $"'{c}'", line);
            var config = e.TryGetProperty("initial_config", out var ic) && ic.ValueKind == JsonValueKind.Object
                ? ic.Clone()
                : throw new InputFormatException(questionsPath, "initial_config", "an object (class → state)", Describe(e, "initial_config"), line);
            entries.Add(new BfclMultiTurnEntry(id, turns, config, classes, ReadMissed(e, questionsPath, line), truth));
            index++;
        }
        if (index < answers.Count)
            throw new InputFormatException(answersPath, "", $"{index} ground truths (one per question)", $"more, from line {answers[index].Line}", answers[index].Line);
        return entries;
    }

    private static IReadOnlyList<IReadOnlyList<string>> ReadTruth(JsonElement e, string source, int line)
    {
        const string expected = "a list of turns, each a list of call strings";
        if (!e.TryGetProperty("ground_truth", out var truth) || truth.ValueKind != JsonValueKind.Array)
            throw new InputFormatException(source, "ground_truth", expected, Describe(e, "ground_truth"), line);
        var turns = new List<IReadOnlyList<string>>();
        var t = 0;
        foreach (var turn in truth.EnumerateArray())
        {
            if (turn.ValueKind != JsonValueKind.Array || turn.EnumerateArray().Any(c => c.ValueKind != JsonValueKind.String))
                throw new InputFormatException(source, $"ground_truth[{t}]", "a list of call strings", JsonValues.SchemaTypeName(turn), line);
            turns.Add(turn.EnumerateArray().Select(c => c.GetString()!).ToList());
            t++;
        }
        return turns;
    }

    private static IReadOnlyList<string> ReadStrings(JsonElement e, string name, string source, int line)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Array || v.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String))
            throw new InputFormatException(source, name, "a list of strings", Describe(e, name), line);
        return v.EnumerateArray().Select(x => x.GetString()!).ToList();
    }

    private static IReadOnlyDictionary<int, IReadOnlyList<string>> ReadMissed(JsonElement e, string source, int line)
    {
        var missed = new Dictionary<int, IReadOnlyList<string>>();
        if (!e.TryGetProperty("missed_function", out var m)) return missed;
        if (m.ValueKind != JsonValueKind.Object)
            throw new InputFormatException(source, "missed_function", "an object (turn index → function names)", JsonValues.SchemaTypeName(m), line);
        foreach (var p in m.EnumerateObject())
        {
            if (!int.TryParse(p.Name, out var turn) || p.Value.ValueKind != JsonValueKind.Array || p.Value.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String))
                throw new InputFormatException(source, $"missed_function.{p.Name}", "a turn index mapped to a list of function names", JsonValues.ToCompact(p.Value), line);
            missed[turn] = p.Value.EnumerateArray().Select(x => x.GetString()!).ToList();
        }
        return missed;
    }

    private static string Describe(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? JsonValues.SchemaTypeName(v) : "nothing";
}
