using ToolSharp.Environments.Bfcl;
using ToolSharp.Environments.Bfcl.MultiTurn;

namespace ToolSharp.Evaluation.Reports;

/// <summary>A model's BFCL scores as the leaderboard shows them: each category it ran (keys <c>bfcl/CATEGORY</c>), and
/// "multi_turn_overall", BFCL's unweighted mean of the four multi-turn categories (of those that ran, when not all did).</summary>
public static class BfclColumns
{
    /// <summary>The column of BFCL's multi-turn aggregate.</summary>
    public const string MultiTurnOverall = "multi_turn_overall";

    /// <summary>The columns in BFCL's order with their accuracies; empty when the model ran no BFCL split.</summary>
    public static IReadOnlyList<(string Column, double Accuracy)> Of(ModelSummary model)
    {
        var byCategory = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (environment, accuracy) in model.ByEnvironment)
        {
            var slash = environment.IndexOf('/');
            if (slash < 0) continue;
            var name = environment[..slash];
            if (name != "bfcl" && !name.StartsWith("bfcl:", StringComparison.Ordinal)) continue;
            byCategory[environment[(slash + 1)..]] = accuracy;
        }
        var columns = new List<(string, double)>();
        foreach (var c in BfclDataset.Categories)
            if (byCategory.TryGetValue(c, out var a)) columns.Add((c, a));
        var multi = BfclMultiTurnDataset.Categories.Where(byCategory.ContainsKey).ToList();
        foreach (var c in multi) columns.Add((c, byCategory[c]));
        if (multi.Count > 0) columns.Add((MultiTurnOverall, multi.Average(c => byCategory[c])));
        return columns;
    }

    /// <summary>The header of the multi-turn aggregate, saying when it covers fewer than BFCL's four categories.</summary>
    public static string Header(string column, IEnumerable<ModelSummary> models)
    {
        if (column != MultiTurnOverall) return column;
        var covered = models.Select(m => Of(m).Count(c => BfclMultiTurnDataset.Categories.Contains(c.Column))).DefaultIfEmpty(0).Max();
        return covered == BfclMultiTurnDataset.Categories.Count ? "multi-turn overall" : $"multi-turn overall ({covered}/4 categories)";
    }
}
