using System.Collections.Concurrent;
using System.Text.Json;
using ToolSharp.Core.Errors;
using ToolSharp.Core.Json;

namespace ToolSharp.Environments.Gsm8k;

/// <summary>Reads GSM8K JSON-lines files (<c>{"question", "answer"}</c>, the answer ending in <c>#### n</c>); each file is read once per process.</summary>
public static class Gsm8kDataset
{
    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<Gsm8kProblem>>> Cache = new();

    /// <summary>The problems of a file, read on first use; a malformed line is an error naming the file and line.</summary>
    public static IReadOnlyList<Gsm8kProblem> Load(string path) =>
        Cache.GetOrAdd(Path.GetFullPath(path), p => new Lazy<IReadOnlyList<Gsm8kProblem>>(() => Read(p))).Value;

    /// <summary>Parses a file without caching.</summary>
    public static IReadOnlyList<Gsm8kProblem> Read(string path)
    {
        if (!File.Exists(path)) throw new ToolSharpException($"{path}: file not found");
        var problems = new List<Gsm8kProblem>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            problems.Add(Parse(line, path, lineNumber));
        }
        return problems;
    }

    /// <summary>Parses one JSON line.</summary>
    public static Gsm8kProblem Parse(string line, string source, int lineNumber)
    {
        JsonElement e;
        try { e = JsonValues.Parse(line); }
        catch (JsonException ex) { throw new InputFormatException(source, "", "a JSON object", JsonValues.Describe(ex), lineNumber); }
        if (e.ValueKind != JsonValueKind.Object) throw new InputFormatException(source, "", "a JSON object", JsonValues.SchemaTypeName(e), lineNumber);
        var question = RequireString(e, "question", source, lineNumber);
        var answer = RequireString(e, "answer", source, lineNumber);
        var marker = answer.LastIndexOf("####", StringComparison.Ordinal);
        if (marker < 0) throw new InputFormatException(source, "answer", "a solution ending in '#### <number>'", "no '####'", lineNumber);
        var final = answer[(marker + 4)..].Trim().Replace(",", "");
        if (!Scoring.NumericAnswer.TryParseNumber(final, out _))
            throw new InputFormatException(source, "answer", "a number after '####'", $"'{final}'", lineNumber);
        return new Gsm8kProblem(question, answer, final);
    }

    private static string RequireString(JsonElement e, string name, string source, int line) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new InputFormatException(source, name, "a string", e.TryGetProperty(name, out var f) ? JsonValues.SchemaTypeName(f) : "nothing", line);
}
