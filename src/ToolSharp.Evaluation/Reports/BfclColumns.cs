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

    /// <summary>The leaderboard table of the models that ran BFCL: the headers (the multi-turn aggregate saying when it
    /// covers fewer than BFCL's four categories) and per model its value in each column, null where it has none.</summary>
    public static (IReadOnlyList<string> Headers, IReadOnlyList<(string Model, IReadOnlyList<double?> Values)> Rows) Table(IEnumerable<ModelSummary> models)
    {
        var rows = models.Select(m => (m.Model, Columns: Of(m))).Where(r => r.Columns.Count > 0).ToList();
        var columns = rows.SelectMany(r => r.Columns.Select(c => c.Column)).Distinct().ToList();
        var covered = rows.Select(r => r.Columns.Count(c => BfclMultiTurnDataset.Categories.Contains(c.Column))).DefaultIfEmpty(0).Max();
        var headers = columns.Select(c => c != MultiTurnOverall ? c
            : covered == BfclMultiTurnDataset.Categories.Count ? "multi-turn overall" : $"multi-turn overall ({covered}/{BfclMultiTurnDataset.Categories.Count} categories)").ToList();
        var values = rows.Select(r => (r.Model, (IReadOnlyList<double?>)columns
            .Select(c => r.Columns.Where(v => v.Column == c).Select(v => (double?)v.Accuracy).FirstOrDefault()).ToList())).ToList();
        return (headers, values);
    }
}
