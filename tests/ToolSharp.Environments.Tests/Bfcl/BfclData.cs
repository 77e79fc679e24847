using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Bfcl;
using ToolSharp.Testing;

namespace ToolSharp.Environments.Tests.Bfcl;

/// <summary>Real BFCL entries for tests, by id.</summary>
internal static class BfclData
{
    public const string Folder = "datasets/bfcl";

    public static BfclEntry Entry(string id) =>
        BfclDataset.LoadCategory(SharedData.Path(Folder), BfclDataset.CategoryOf(id)).Single(e => e.Id == id);

    /// <summary>Calls from a compact notation: <c>name {json args}</c> per item.</summary>
    public static IReadOnlyList<ToolCall> Calls(params (string Name, string Args)[] calls) =>
        calls.Select(c => new ToolCall(c.Name, JsonValues.Parse(c.Args))).ToList();

    public static BfclCheckResult Check(string id, params (string Name, string Args)[] calls) =>
        BfclScorer.Check(Entry(id), Calls(calls));
}
