using ToolSharp.Core.WireFormats;
using System.Text.Json;
using ToolSharp.Core.Data;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using System.Globalization;
using ToolSharp.Core.Errors;
using ToolSharp.Environments.Bfcl;
using ToolSharp.Environments.Bfcl.Backends;
using ToolSharp.Environments.Bfcl.MultiTurn;
using ToolSharp.Environments.Episodes;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Environments.Bfcl.Leaderboard;

/// <summary>
/// <c>bfcl</c>: the Berkeley Function Calling Leaderboard v4. Single-turn splits (simple_python, multiple, parallel,
/// parallel_multiple, irrelevance): each task offers its own function docs as declared-only tools and the model's
/// first response is scored with <see cref="BfclAstChecker"/> (irrelevance: correct when it makes no call). Multi-turn
/// splits (multi_turn_base, multi_turn_miss_func, multi_turn_miss_param, multi_turn_long_context): the user turns of
/// the entry, each response's calls run as one step on the entry's own stateful backends (at most BFCL's 20 steps a
/// turn), a miss_func holdout offered from its turn with BFCL's message, scored by BFCL's multi-turn checker.
/// </summary>
/// <remarks>Options: <c>reward=entry|per_turn</c> (see <see cref="BfclMultiTurnRewardMode"/>) and
/// <c>travel_today=YYYY-MM-DD</c> (the date of the travel backend's age check; default the machine's date, as BFCL).</remarks>
public sealed class BfclEnvironment : IEnvironment, IReferenceCalls
{
    public const string BaseName = "bfcl";

    public const string DataFolder = "datasets/bfcl";

    public const string Instructions =
        "You are an expert in composing functions. Given a question and a set of possible functions, make the function call(s) " +
        "needed to answer it, with the right parameter values. If none of the functions fits, or parameters are missing, make no call and say why.";

    /// <summary>The folder of BFCL's multi-turn function docs, under the data folder.</summary>
    public const string FunctionDocFolder = "multi_turn_func_doc";

    private readonly string _folder;
    private readonly BfclMultiTurnRewardMode _rewardMode;
    private readonly BfclMultiTurnOptions _multiTurnOptions;

    public BfclEnvironment(string? folder = null, BfclMultiTurnRewardMode rewardMode = BfclMultiTurnRewardMode.Entry, DateOnly? travelToday = null)
    {
        _folder = folder ?? ToolSharpData.PathTo(DataFolder);
        _rewardMode = rewardMode;
        _multiTurnOptions = BfclMultiTurnOptions.Default with { TravelToday = travelToday };
        var suffix = new List<string>();
        if (rewardMode == BfclMultiTurnRewardMode.PerTurn) suffix.Add("reward=per_turn");
        if (travelToday is { } today) suffix.Add("travel_today=" + today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Name = suffix.Count == 0 ? BaseName : BaseName + ":" + string.Join(",", suffix);
    }

    /// <summary>The environment a spec's options describe (<c>bfcl</c>, <c>bfcl:reward=per_turn</c>, …).</summary>
    public static BfclEnvironment From(EnvironmentOptions options)
    {
        var reward = options.GetString("reward") switch
        {
            null or "entry" => BfclMultiTurnRewardMode.Entry,
            "per_turn" => BfclMultiTurnRewardMode.PerTurn,
            var other => throw new ToolSharpException($"environment 'bfcl': option reward: expected entry or per_turn, found '{other}'"),
        };
        DateOnly? today = options.GetString("travel_today") is { } text
            ? DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date
                : throw new ToolSharpException($"environment 'bfcl': option travel_today: expected a date such as 2024-09-01, found '{text}'")
            : null;
        return new BfclEnvironment(rewardMode: reward, travelToday: today);
    }

    public string Name { get; }

    public string Version => "1";

    public string Description => "BFCL v4 function calling: single-turn (AST checker) and multi-turn (stateful backends and checker), BFCL's rules; tools differ per task.";

    public string DefaultInstructions => Instructions;

    public IReadOnlyList<ToolSpec> ToolSpecs => [];

    public IReadOnlyList<string> Splits { get; } = [.. BfclDataset.Categories, .. BfclMultiTurnDataset.Categories];

    /// <summary>True for the four multi-turn splits.</summary>
    public static bool IsMultiTurn(string split) => BfclMultiTurnDataset.Categories.Contains(split);

    /// <summary>The entries of a single-turn category, read on first use.</summary>
    public IReadOnlyList<BfclEntry> Entries(string split)
    {
        TaskSampling.RequireSplit(this, split);
        if (IsMultiTurn(split)) throw new ToolSharpException($"bfcl: {split} is a multi-turn split (see MultiTurnEntries)");
        return BfclDataset.LoadCategory(_folder, split);
    }

    /// <summary>The entries of a multi-turn category, read on first use.</summary>
    public IReadOnlyList<BfclMultiTurnEntry> MultiTurnEntries(string split)
    {
        TaskSampling.RequireSplit(this, split);
        if (!IsMultiTurn(split)) throw new ToolSharpException($"bfcl: {split} is a single-turn split (see Entries)");
        return BfclMultiTurnDataset.LoadCategory(_folder, split);
    }

    public int? TaskCount(string split) => IsMultiTurn(split) ? MultiTurnEntries(split).Count : Entries(split).Count;

    /// <summary>A multi-turn entry's turns and limits: 20 steps a turn, one more that BFCL stops at, and a closing answer.</summary>
    public EpisodeLimits Limits(EnvironmentTask task) =>
        IsMultiTurn(task.Split)
            ? new EpisodeLimits(MaxTurns: task.UserTurns.Count * (BfclMultiTurnEpisode.MaxStepsPerTurn + 2), MaxToolCalls: MultiTurnCallBudget)
            : EpisodeLimits.Default;

    /// <summary>BFCL sets no call budget of its own; this one only stops a runaway episode.</summary>
    private const int MultiTurnCallBudget = 10_000;

    public EnvironmentTask GetTask(string split, int index)
    {
        TaskIds.RequireIndex(this, split, index);
        if (IsMultiTurn(split)) return MultiTurnTask(split, index);
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

    private EnvironmentTask MultiTurnTask(string split, int index)
    {
        var entry = MultiTurnEntries(split)[index];
        var expected = string.Join(" | ", entry.GroundTruth.Select((calls, t) => $"turn {t}: " + (calls.Count == 0 ? "(no call)" : string.Join("; ", calls))));
        var data = JsonValues.Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("category", entry.Category);
            w.WriteBoolean("multi_turn", true);
            w.WriteEndObject();
        });
        var userTurns = entry.Turns.Select((t, i) => t.Count == 0 && entry.MissedFunctions.ContainsKey(i)
            ? BfclMultiTurnEpisode.HoldoutMessage
            : string.Join("\n", t.Where(m => m.Role == ChatRole.User).Select(m => m.Content))).ToList();
        return new EnvironmentTask(entry.Id, split, index, userTurns, expected, entry.Turns.Count, data);
    }

    /// <summary>Finds a task by its BFCL id (e.g. <c>parallel_3</c>, <c>multi_turn_base_7</c>).</summary>
    public EnvironmentTask? FindTask(string id)
    {
        var split = BfclDataset.CategoryOf(id);
        if (!Splits.Contains(split)) return null;
        var ids = IsMultiTurn(split) ? MultiTurnEntries(split).Select(e => e.Id) : Entries(split).Select(e => e.Id);
        var i = 0;
        foreach (var candidate in ids)
        {
            if (candidate == id) return GetTask(split, i);
            i++;
        }
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
        if (IsMultiTurn(task.Split)) return null; // calls per turn and step, not one list: the checker is the reference
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
        if (IsMultiTurn(task.Split)) return MultiTurnEpisode(task, options);
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

    /// <summary>A fresh run of the entry on its own backend instances; the tools registered are the ones it may ever
    /// offer (holdouts included), declared only: calls run through the steps, not the executor.</summary>
    private Episode MultiTurnEpisode(EnvironmentTask task, ToolExecutionOptions? options)
    {
        var entry = MultiTurnEntries(task.Split)[task.Index];
        var run = new BfclMultiTurnEpisode(entry, BfclFunctionDocs.Load(Path.Combine(_folder, FunctionDocFolder)), _multiTurnOptions);
        var steps = new BfclMultiTurnSteps(run, task.Id);
        var tools = new ToolRegistry();
        foreach (var spec in steps.ToolsAt(entry.Turns.Count - 1))
            if (!tools.TryGet(spec.Name, out _))
                tools.Add(new DelegateTool(spec, _ => throw new ToolInvocationException($"'{spec.Name}' runs as a step of the BFCL episode, not through the executor")));
        return new Episode(task, tools, new BfclMultiTurnEpisodeScorer(steps, _rewardMode), Instructions, options, state: steps, stepwise: steps);
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
