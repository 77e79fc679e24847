using System.Text.Json;
using ToolSharp.Core.Messages;

namespace ToolSharp.Environments.Bfcl.MultiTurn;

/// <summary>One BFCL multi-turn entry: its user turns, backends and their initial state, held-out functions and the
/// ground-truth call strings per turn.</summary>
/// <param name="Id">E.g. <c>multi_turn_base_0</c>.</param>
/// <param name="Turns">The user messages of each turn; a miss_func holdout turn has none.</param>
/// <param name="InitialConfig">Class name → the state <c>_load_scenario</c> receives.</param>
/// <param name="InvolvedClasses">The backend classes, in BFCL's order.</param>
/// <param name="MissedFunctions">Turn index → names of functions held out until that turn (miss_func only).</param>
/// <param name="GroundTruth">Per turn, the ground-truth call strings (an empty turn expects no call).</param>
public sealed record BfclMultiTurnEntry(
    string Id,
    IReadOnlyList<IReadOnlyList<Message>> Turns,
    JsonElement InitialConfig,
    IReadOnlyList<string> InvolvedClasses,
    IReadOnlyDictionary<int, IReadOnlyList<string>> MissedFunctions,
    IReadOnlyList<IReadOnlyList<string>> GroundTruth)
{
    /// <summary>BFCL's category: the id without its index (<c>multi_turn_long_context</c>).</summary>
    public string Category => BfclDataset.CategoryOf(Id);

    /// <summary>BFCL's long-context switch: the category contains "long_context" or "composite".</summary>
    public bool IsLongContext => Category.Contains("long_context", StringComparison.Ordinal) || Category.Contains("composite", StringComparison.Ordinal);
}
