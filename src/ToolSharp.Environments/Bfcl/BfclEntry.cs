using System.Text.Json;
using ToolSharp.Core.Messages;

namespace ToolSharp.Environments.Bfcl;

/// <summary>One BFCL test entry: id, category, the question turns, the function docs and (except irrelevance) the ground truth.</summary>
/// <param name="Id">E.g. <c>simple_python_0</c>.</param>
/// <param name="Category">The id without its index (<c>simple_python</c>, <c>parallel_multiple</c>, <c>irrelevance</c>, …).</param>
/// <param name="Turns">The question: a list of turns, each a list of messages (single-turn categories have one turn).</param>
/// <param name="Functions">The raw <c>function</c> array (BFCL function docs), as the checker needs them.</param>
/// <param name="GroundTruth">The raw <c>ground_truth</c> array, or undefined when the category has none (irrelevance).</param>
public sealed record BfclEntry(string Id, string Category, IReadOnlyList<IReadOnlyList<Message>> Turns, JsonElement Functions, JsonElement GroundTruth)
{
    public bool IsIrrelevance => Category.Contains("irrelevance", StringComparison.Ordinal);
}
