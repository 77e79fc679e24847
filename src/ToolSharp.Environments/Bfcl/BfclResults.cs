using System.Text.Json;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;

namespace ToolSharp.Environments.Bfcl;

/// <summary>
/// Model results to score: one JSON object per line, <c>{"id": "...", "calls": [{"name": "...", "arguments": {...}}]}</c>
/// (an empty list means no call). Bad lines never stop the scorer: each is kept as a <see cref="Problem"/> with its line
/// number, and its id (when readable) scores as wrong.
/// </summary>
public sealed class BfclResults
{
    /// <summary>A line that could not be used: where, why, and the id when it could be read.</summary>
    public sealed record Problem(int Line, string? Id, string Message);

    private BfclResults(IReadOnlyDictionary<string, IReadOnlyList<ToolCall>> calls, IReadOnlyList<Problem> problems)
    {
        Calls = calls;
        Problems = problems;
    }

    /// <summary>The calls per id, for the lines that were well formed.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ToolCall>> Calls { get; }

    /// <summary>Lines that were malformed or repeated an id.</summary>
    public IReadOnlyList<Problem> Problems { get; }

    /// <summary>Reads results text; <c>arguments</c> may be an object or a JSON string holding one (OpenAI style).</summary>
    public static BfclResults Parse(string text)
    {
        var calls = new Dictionary<string, IReadOnlyList<ToolCall>>(StringComparer.Ordinal);
        var problems = new List<Problem>();
        foreach (var (lineNumber, id, e) in BfclResultLines.Read(text, "a string \"id\"", problems))
        {
            if (calls.ContainsKey(id) || problems.Any(p => p.Id == id))
            {
                problems.Add(new Problem(lineNumber, id, $"a second result for id '{id}'"));
                calls.Remove(id);
                continue;
            }
            var parsed = ReadCalls(e, out var message);
            if (parsed is null) problems.Add(new Problem(lineNumber, id, message!));
            else calls[id] = parsed;
        }
        return new BfclResults(calls, problems);
    }

    /// <summary>One results line, as <see cref="Parse"/> reads it: <c>{"id", "calls": [{"name", "arguments"}]}</c>, compact.</summary>
    public static string Line(string id, IEnumerable<ToolCall> calls) => JsonValues.ToCompact(JsonValues.Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteStartArray("calls");
        foreach (var call in calls)
        {
            w.WriteStartObject();
            w.WriteString("name", call.Name);
            w.WritePropertyName("arguments");
            call.Arguments.WriteTo(w);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }));

    private static IReadOnlyList<ToolCall>? ReadCalls(JsonElement e, out string? message)
    {
        message = null;
        if (!e.TryGetProperty("calls", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            message = $"\"calls\": expected an array of {{\"name\", \"arguments\"}}, found {(e.TryGetProperty("calls", out var c) ? JsonValues.SchemaTypeName(c) : "nothing")}";
            return null;
        }
        var list = new List<ToolCall>();
        var i = 0;
        foreach (var call in array.EnumerateArray())
        {
            if (call.ValueKind != JsonValueKind.Object || !call.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            {
                message = $"calls[{i}]: expected an object with a string \"name\"";
                return null;
            }
            var arguments = call.TryGetProperty("arguments", out var a) ? a : JsonValues.EmptyObject;
            // An arguments string is decoded as JSON; if that fails it stays a string, which the checker rejects as BFCL does.
            if (arguments.ValueKind == JsonValueKind.String && JsonValues.TryParse(arguments.GetString()!, out var decoded, out _, out _)) arguments = decoded;
            list.Add(new ToolCall(name.GetString()!, arguments.Clone()));
            i++;
        }
        return list;
    }
}
