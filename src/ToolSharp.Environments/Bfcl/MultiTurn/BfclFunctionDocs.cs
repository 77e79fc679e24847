using System.Collections.Concurrent;
using System.Text.Json;
using ToolSharp.Core.Errors;
using ToolSharp.Environments.Bfcl.Backends;
namespace ToolSharp.Environments.Bfcl.MultiTurn;

/// <summary>BFCL's multi-turn function docs (<c>multi_turn_func_doc/*.json</c>, one doc per line) per backend class, and
/// the function list of an entry as BFCL compiles it (<c>populate_test_cases_with_predefined_functions</c>).</summary>
public sealed class BfclFunctionDocs
{
    private static readonly ConcurrentDictionary<string, BfclFunctionDocs> Cache = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, IReadOnlyList<JsonElement>> _byClass;

    private BfclFunctionDocs(IReadOnlyDictionary<string, IReadOnlyList<JsonElement>> byClass)
    {
        _byClass = byClass;
    }

    /// <summary>The docs in <paramref name="folder"/> (BFCL's <c>multi_turn_func_doc</c>), read once per process.</summary>
    public static BfclFunctionDocs Load(string folder) => Cache.GetOrAdd(Path.GetFullPath(folder), full =>
    {
        var byClass = new Dictionary<string, IReadOnlyList<JsonElement>>(StringComparer.Ordinal);
        foreach (var (className, file) in BfclApiCatalog.DocFiles)
        {
            var path = Path.Combine(full, file);
            var docs = new List<JsonElement>();
            foreach (var (line, doc) in BfclDataset.ReadLines(path))
            {
                if (!doc.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                    throw new InputFormatException(path, "name", "a function doc with a string name", "none", line);
                docs.Add(doc.Clone());
            }
            byClass[className] = docs;
        }
        return new BfclFunctionDocs(byClass);
    });

    /// <summary>One class's docs, in file order.</summary>
    public IReadOnlyList<JsonElement> For(string className) =>
        _byClass.TryGetValue(className, out var docs) ? docs : throw new ToolSharpException($"no function docs for BFCL class '{className}'");

    /// <summary>An entry's function list at the start (every involved class's docs, minus the held-out ones) and the
    /// held-out docs by the turn that adds them back.</summary>
    public (IReadOnlyList<JsonElement> Initial, IReadOnlyDictionary<int, IReadOnlyList<JsonElement>> HeldOut) Compile(BfclMultiTurnEntry entry)
    {
        var functions = entry.InvolvedClasses.SelectMany(For).ToList();
        var heldOut = new Dictionary<int, IReadOnlyList<JsonElement>>();
        foreach (var (turn, names) in entry.MissedFunctions)
        {
            var docs = new List<JsonElement>();
            foreach (var name in names)
            {
                var index = functions.FindIndex(f => f.GetProperty("name").GetString() == name);
                if (index < 0) continue;
                docs.Add(functions[index]);
                functions.RemoveAt(index);
            }
            heldOut[turn] = docs;
        }
        return (functions, heldOut);
    }
}
