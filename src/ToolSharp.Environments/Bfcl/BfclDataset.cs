using ToolSharp.Core.WireFormats;
using System.Collections.Concurrent;
using System.Text.Json;
using ToolSharp.Core.Errors;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;

namespace ToolSharp.Environments.Bfcl;

/// <summary>Reads BFCL question files and possible-answer files (one JSON object per line).</summary>
public static class BfclDataset
{
    /// <summary>The single-turn categories ToolSharp scores with the AST checker.</summary>
    public static IReadOnlyList<string> Categories { get; } = ["simple_python", "multiple", "parallel", "parallel_multiple", "irrelevance"];

    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<BfclEntry>>> Cache = new();

    /// <summary>BFCL's category of an id: everything before the last underscore (<c>live_simple_19-3-15</c> → <c>live_simple</c>).</summary>
    public static string CategoryOf(string id)
    {
        var underscore = id.LastIndexOf('_');
        return underscore <= 0 ? id : id[..underscore];
    }

    /// <summary>The question and answer files of a category in BFCL's v4 layout under <paramref name="folder"/>.</summary>
    public static (string Questions, string? Answers) Files(string folder, string category)
    {
        var questions = Path.Combine(folder, $"BFCL_v4_{category}.json");
        var answers = Path.Combine(folder, "possible_answer", $"BFCL_v4_{category}.json");
        return (questions, File.Exists(answers) ? answers : null);
    }

    /// <summary>Loads a category from the BFCL folder once per process.</summary>
    public static IReadOnlyList<BfclEntry> LoadCategory(string folder, string category) =>
        Cache.GetOrAdd(Path.GetFullPath(Path.Combine(folder, category)), _ => new Lazy<IReadOnlyList<BfclEntry>>(() =>
        {
            var (questions, answers) = Files(folder, category);
            return Load(questions, answers);
        })).Value;

    /// <summary>Reads a questions file and, when given, its possible-answer file; every non-irrelevance question needs an answer.</summary>
    public static IReadOnlyList<BfclEntry> Load(string questionsPath, string? answersPath, string? category = null)
    {
        var answers = answersPath is null ? new Dictionary<string, JsonElement>() : ReadAnswers(answersPath);
        var entries = new List<BfclEntry>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (line, e) in ReadLines(questionsPath))
        {
            var id = RequireString(e, "id", questionsPath, line);
            if (!ids.Add(id)) throw new InputFormatException(questionsPath, "id", "unique ids", $"'{id}' a second time", line);
            var cat = category ?? CategoryOf(id);
            var functions = e.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Array
                ? f.Clone()
                : throw new InputFormatException(questionsPath, "function", "an array of function docs", Describe(e, "function"), line);
            var turns = ReadTurns(e, questionsPath, line);
            var isIrrelevance = cat.Contains("irrelevance", StringComparison.Ordinal);
            if (!answers.TryGetValue(id, out var truth) && !isIrrelevance)
            {
                throw new InputFormatException(answersPath ?? "<no answers file>", "id",
                    $"a ground truth for question '{id}' (category {cat} needs --answers)", "none", null);
            }
            entries.Add(new BfclEntry(id, cat, turns, functions, truth));
        }
        return entries;
    }

    private static Dictionary<string, JsonElement> ReadAnswers(string path)
    {
        var answers = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (line, e) in ReadLines(path))
        {
            var id = RequireString(e, "id", path, line);
            if (!e.TryGetProperty("ground_truth", out var truth) || truth.ValueKind != JsonValueKind.Array)
                throw new InputFormatException(path, "ground_truth", "an array of {function: {parameter: [possible values]}}", Describe(e, "ground_truth"), line);
            if (!answers.TryAdd(id, truth.Clone())) throw new InputFormatException(path, "id", "unique ids", $"'{id}' a second time", line);
        }
        return answers;
    }

    /// <summary>The <c>question</c> field: a list of turns, each a list of messages (older files: one flat list).</summary>
    internal static IReadOnlyList<IReadOnlyList<Message>> ReadTurns(JsonElement e, string source, int line)
    {
        if (!e.TryGetProperty("question", out var q) || q.ValueKind != JsonValueKind.Array)
            throw new InputFormatException(source, "question", "a list of turns (lists of messages)", Describe(e, "question"), line);
        var turns = new List<IReadOnlyList<Message>>();
        var i = 0;
        foreach (var turn in q.EnumerateArray())
        {
            try
            {
                // Older BFCL files hold a flat list of messages instead of a list of turns.
                turns.Add(turn.ValueKind == JsonValueKind.Object ? [OpenAiChatJson.ReadMessage(turn, source, $"question[{i}]")] : OpenAiChatJson.ReadMessages(turn, source, $"question[{i}]"));
            }
            catch (InputFormatException ex)
            {
                throw new InputFormatException(source, ex.Field, ex.Expected, ex.Found, line);
            }
            i++;
        }
        if (turns.Count > 0 && q[0].ValueKind == JsonValueKind.Object) turns = [turns.SelectMany(t => t).ToList()];
        return turns;
    }

    /// <summary>The non-empty lines of a JSON-lines file as objects; a bad line is an error naming file and line.</summary>
    internal static IEnumerable<(int Line, JsonElement Value)> ReadLines(string path)
    {
        if (!File.Exists(path)) throw new ToolSharpException($"{path}: file not found");
        var number = 0;
        foreach (var text in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            JsonElement value;
            try { value = JsonValues.Parse(text); }
            catch (JsonException ex) { throw new InputFormatException(path, "", "a JSON object", JsonValues.Describe(ex), number); }
            if (value.ValueKind != JsonValueKind.Object) throw new InputFormatException(path, "", "a JSON object", JsonValues.SchemaTypeName(value), number);
            yield return (number, value);
        }
    }

    private static string RequireString(JsonElement e, string name, string source, int line) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new InputFormatException(source, name, "a string", Describe(e, name), line);

    private static string Describe(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? JsonValues.SchemaTypeName(v) : "nothing";
}
