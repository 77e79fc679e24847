using ToolSharp.Core.Errors;

namespace ToolSharp.Evaluation.Sweeps;

/// <summary>A listed factor level that cannot be used: which factor, which entry (null for the list as a whole), what was expected and found.</summary>
public sealed class FactorLevelException(ISweepFactor? factor, string fileKey, int? index, string expected, string found)
    : ToolSharpException($"factors.{fileKey}{(index is { } i ? $"[{i}]" : "")}: expected {expected}, found {found}")
{
    public ISweepFactor? Factor { get; } = factor;

    /// <summary>The field path in a sweep file, e.g. <c>factors.history[1]</c>.</summary>
    public string Field { get; } = $"factors.{fileKey}{(index is { } j ? $"[{j}]" : "")}";

    public string Expected { get; } = expected;

    public string Found { get; } = found;
}
