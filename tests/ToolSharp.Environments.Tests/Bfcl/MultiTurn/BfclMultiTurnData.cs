using ToolSharp.Environments.Bfcl.MultiTurn;
using ToolSharp.Testing;

namespace ToolSharp.Environments.Tests.Bfcl.MultiTurn;

/// <summary>The real multi-turn entries for tests.</summary>
internal static class BfclMultiTurnData
{
    public const string Folder = "datasets/bfcl";

    /// <summary>The 800 entries of the four categories, in file order.</summary>
    public static IReadOnlyList<BfclMultiTurnEntry> All() =>
        BfclMultiTurnDataset.Categories.SelectMany(c => BfclMultiTurnDataset.LoadCategory(SharedData.Path(Folder), c)).ToList();

    public static BfclMultiTurnEntry Entry(string id) => All().Single(e => e.Id == id);

    /// <summary>The ground truth as a model result: each turn's calls as one step (an empty turn has no step).</summary>
    public static IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> TruthAsResult(BfclMultiTurnEntry entry) =>
        entry.GroundTruth.Select(t => t.Count == 0 ? (IReadOnlyList<IReadOnlyList<string>>)[] : [t]).ToList();
}
