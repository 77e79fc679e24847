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
public sealed class BfclEnvironment : IEnvironment
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
