using System.Globalization;
using System.Text.Json;
using ToolSharp.Core.Hashing;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.WireFormats;
using ToolSharp.Environments.Bfcl;
using ToolSharp.Environments.Bfcl.MultiTurn;

namespace ToolSharp.Evaluation.Store;

/// <summary>Writes the BFCL episodes of a results database as BFCL result files, in BFCL's layout
/// (<c>DIR/RUN/{non_live|multi_turn}/BFCL_v4_{category}_result.json</c>), one RUN folder per model, configuration,
/// seed and trial (a BFCL result file holds one result per id), so BFCL's scorer and <c>toolsharp bfcl score</c> can
/// score each run.</summary>
/// <remarks>Multi-turn lines are <c>{"id", "result": [turn][step][call string]}</c> with the calls BFCL's function-calling
/// decoder writes (what ToolSharp executed); single-turn lines are <c>{"id", "calls": [{"name", "arguments"}]}</c> from the
/// episode's first response.</remarks>
public static class BfclResultExport
{
    /// <summary>One exported run: its folder name and what it holds.</summary>
    public sealed record Run(string Folder, string Model, IReadOnlyDictionary<string, string> Factors, int Seed, int Trial, IReadOnlyDictionary<string, int> Entries);

    public static IReadOnlyList<Run> Write(string directory, IEnumerable<StoredEpisode> episodes)
    {
        var runs = new List<Run>();
        // A BFCL run is one model under one setting of the factors, over every category: the environment is not part of it.
        var groups = episodes.Where(IsBfcl).GroupBy(e => (e.Model, Setting: Label(e.Factors), e.Seed, e.Trial));
        foreach (var run in groups.OrderBy(g => g.Key.Model, StringComparer.Ordinal).ThenBy(g => g.Key.Setting, StringComparer.Ordinal).ThenBy(g => g.Key.Seed).ThenBy(g => g.Key.Trial))
        {
            var (model, setting, seed, trial) = run.Key;
            var folder = string.Create(CultureInfo.InvariantCulture, $"{Safe(model)}__{StableHash.Of(setting)[..8]}__seed{seed}__trial{trial}");
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var category in run.GroupBy(e => BfclDataset.CategoryOf(e.TaskId)).OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                var multi = BfclMultiTurnDataset.Categories.Contains(category.Key);
                var dir = Path.Combine(directory, folder, multi ? "multi_turn" : "non_live");
                Directory.CreateDirectory(dir);
                using var writer = new StreamWriter(Path.Combine(dir, $"BFCL_v4_{category.Key}_result.json"));
                foreach (var e in category.OrderBy(e => e.TaskId, BfclIdOrder.Instance))
                    writer.WriteLine(multi ? MultiTurnLine(e) : SingleTurnLine(e));
                counts[category.Key] = category.Count();
            }
            runs.Add(new Run(folder, model, run.First().Factors, seed, trial, counts));
        }
        return runs;
    }

    private static string Label(IReadOnlyDictionary<string, string> factors) =>
        string.Join("|", factors.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "=" + f.Value));

    private static bool IsBfcl(StoredEpisode e) => e.Environment == "bfcl" || e.Environment.StartsWith("bfcl:", StringComparison.Ordinal) || e.Environment.StartsWith("bfcl/", StringComparison.Ordinal);

    private static string MultiTurnLine(StoredEpisode e)
    {
        // The scorer stored the executed calls per turn and step as "got"; an episode scored without them has none.
        var result = e.Got is { Length: > 0 } got && got[0] == '[' ? got : "[]";
        return $"{{\"id\":{JsonSerializer.Serialize(e.TaskId)},\"result\":{result}}}";
    }

    private static string SingleTurnLine(StoredEpisode e)
    {
        var first = e.Transcript is { } t ? OpenAiChatJson.ReadConversation(t).Messages.FirstOrDefault(m => m.Role == ChatRole.Assistant) : null;
        return BfclResults.Line(e.TaskId, first?.ToolCalls ?? []);
    }

    private static string Safe(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_'));

    /// <summary>BFCL sorts result files by the id's trailing index.</summary>
    private sealed class BfclIdOrder : IComparer<string>
    {
        public static BfclIdOrder Instance { get; } = new();

        public int Compare(string? a, string? b) => (Index(a!), a).CompareTo((Index(b!), b));

        private static int Index(string id) =>
            int.TryParse(id.AsSpan(id.LastIndexOf('_') + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue;
    }
}
