using ToolSharp.Core.WireFormats;
using System.Text.Json;
using ToolSharp.Core.Data;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Episodes;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Environments.Bfcl;

/// <summary>
/// <c>bfcl</c>: the Berkeley Function Calling Leaderboard's single-turn categories (splits: simple_python, multiple,
/// parallel, parallel_multiple, irrelevance). Each task offers its own function docs as declared-only tools; the
/// model's first response is scored with <see cref="BfclAstChecker"/> (irrelevance: correct when it makes no call).
/// </summary>
public sealed class BfclEnvironment : IEnvironment, IReferenceCalls
{
    public const string BaseName = "bfcl";

    public const string DataFolder = "datasets/bfcl";

    public const string Instructions =
        "You are an expert in composing functions. Given a question and a set of possible functions, make the function call(s) " +
        "needed to answer it, with the right parameter values. If none of the functions fits, or parameters are missing, make no call and say why.";

    private readonly string _folder;

    public BfclEnvironment(string? folder = null)
    {
        _folder = folder ?? ToolSharpData.PathTo(DataFolder);
    }

    public string Name => BaseName;

    public string Version => "1";

    public string Description => "BFCL v4 single-turn function calling (AST checker, exact BFCL rules); tools differ per task.";

    public string DefaultInstructions => Instructions;

    public IReadOnlyList<ToolSpec> ToolSpecs => [];

    public IReadOnlyList<string> Splits => BfclDataset.Categories;

    /// <summary>The entries of a category, read on first use.</summary>
    public IReadOnlyList<BfclEntry> Entries(string split)
    {
        TaskSampling.RequireSplit(this, split);
        return BfclDataset.LoadCategory(_folder, split);
    }

    public int? TaskCount(string split) => Entries(split).Count;

    public EnvironmentTask GetTask(string split, int index)
    {
        TaskIds.RequireIndex(this, split, index);
        var entry = Entries(split)[index];
        var expected = entry.IsIrrelevance ? "(no call)" : BfclGroundTruth.Describe(BfclGroundTruth.FirstAnswers(entry.GroundTruth, entry.Functions));
        var data = JsonValues.Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("category", entry.Category);
            w.WritePropertyName("function");
            entry.Functions.WriteTo(w);
            if (entry.GroundTruth.ValueKind != JsonValueKind.Undefined)
            {
                w.WritePropertyName("ground_truth");
                entry.GroundTruth.WriteTo(w);
            }
            w.WriteEndObject();
        });
        var userTurns = entry.Turns.Select(t => string.Join("\n", t.Where(m => m.Role == ChatRole.User).Select(m => m.Content))).ToList();
        return new EnvironmentTask(entry.Id, split, index, userTurns, expected, 0, data);
    }

    /// <summary>Finds a task by its BFCL id (e.g. <c>parallel_3</c>).</summary>
    public EnvironmentTask? FindTask(string id)
    {
        var split = BfclDataset.CategoryOf(id);
        if (!Splits.Contains(split)) return null;
        var entries = Entries(split);
        for (var i = 0; i < entries.Count; i++)
            if (entries[i].Id == id) return GetTask(split, i);
        return null;
    }

    /// <summary>
    /// The calls that answer a task, from BFCL's possible answers (each parameter lists the values the checker accepts,
    /// <c>""</c> meaning "may be left out"): per ground-truth call, in order, every parameter takes its first accepted
    /// value, except that a parameter whose accepted values include <c>""</c> is left out, unless the function doc
    /// requires it, in which case it takes its first value that is not <c>""</c> (the checker demands required
    /// parameters). Otherwise as <see cref="BfclGroundTruth.FirstAnswers"/> (undeclared parameters left out, dict keys
    /// chosen key by key). Irrelevance tasks: no call. Null for a task without BFCL data. Each reference passes
    /// <see cref="BfclAstChecker"/>, so a call-matching reward agrees with the score on what full marks are.
    /// </summary>
    public IReadOnlyList<ToolCall>? ReferenceCalls(EnvironmentTask task)
    {
        if (task.Data.ValueKind != JsonValueKind.Object || !task.Data.TryGetProperty("category", out var category)) return null;
        if (category.GetString()!.Contains("irrelevance", StringComparison.Ordinal)) return [];
        if (!task.Data.TryGetProperty("ground_truth", out var truth) || truth.ValueKind != JsonValueKind.Array) return null;
        var functions = task.Data.GetProperty("function");
        // FirstAnswers yields one call per ground-truth function, in ground-truth order.
        var possible = truth.EnumerateArray().SelectMany(e => e.EnumerateObject()).Select(f => f.Value).ToList();
        return BfclGroundTruth.FirstAnswers(truth, functions)
            .Select((call, i) => call.WithArguments(WithoutOmittable(call.Arguments, possible[i], RequiredParameters(functions, call.Name))))
            .ToList();
    }

    private static JsonElement WithoutOmittable(JsonElement arguments, JsonElement possible, IReadOnlySet<string> required) => JsonValues.Build(w =>
    {
        w.WriteStartObject();
        foreach (var p in arguments.EnumerateObject())
        {
            var omittable = possible.TryGetProperty(p.Name, out var accepted) && accepted.ValueKind == JsonValueKind.Array &&
                            accepted.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == "");
            if (omittable && !required.Contains(p.Name)) continue;
            p.WriteTo(w);
        }
        w.WriteEndObject();
    });

    private static HashSet<string> RequiredParameters(JsonElement functions, string name) =>
        functions.EnumerateArray()
            .Where(f => f.ValueKind == JsonValueKind.Object && f.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && n.GetString() == name)
            .SelectMany(f => f.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object &&
                             p.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
                ? r.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)
                : [])
            .ToHashSet();

    /// <summary>Declared-only tools from the task's function docs; the model's first response is what gets scored.</summary>
    public Episode CreateEpisode(EnvironmentTask task, ToolExecutionOptions? options = null)
    {
        var functions = task.Data.GetProperty("function");
        var tools = new ToolRegistry();
        var i = 0;
        foreach (var doc in functions.EnumerateArray())
        {
            var spec = BfclSchema.ToToolSpec(doc, task.Id, $"function[{i++}]");
            if (tools.TryGet(spec.Name, out _)) continue; // a few entries repeat a doc; the model sees it once
            tools.Add(new DelegateTool(spec, _ => throw new ToolInvocationException(
                $"'{spec.Name}' is declared for function-calling evaluation only and cannot run; the call itself is what is scored")));
        }
        return new Episode(task, tools, Scorer.Instance, Instructions, options, maxAssistantTurns: 1);
    }

    /// <summary>Checks the tool calls of the first assistant message (none if it only wrote text) against the ground truth.</summary>
    private sealed class Scorer : IEpisodeScorer
    {
        public static Scorer Instance { get; } = new();

        public EpisodeScore Score(EnvironmentTask task, Conversation transcript)
        {
            var first = transcript.Messages.FirstOrDefault(m => m.Role == ChatRole.Assistant);
            var calls = first?.ToolCalls ?? [];
            var category = task.Data.GetProperty("category").GetString()!;
            var truth = task.Data.TryGetProperty("ground_truth", out var t) ? t : default;
            var result = BfclAstChecker.Check(category, task.Data.GetProperty("function"), calls, truth);
            return EpisodeScore.Binary(result.Valid, task.ExpectedAnswer, BfclGroundTruth.Describe(calls),
                result.Valid ? "valid" : $"{result.ErrorType}: {string.Join(" ", result.Errors)}");
        }
    }
}
