using ToolSharp.Core.Data;
using Xunit;

namespace ToolSharp.Testing;

/// <summary>A fact that needs files from the shared data folder; it is reported as skipped, with the reason, when they are absent.</summary>
/// <remarks>Pass paths relative to the data root (e.g. "datasets/bfcl"). CI has the folder, so there these tests always run.</remarks>
public sealed class RequiresDataFactAttribute : FactAttribute
{
    public RequiresDataFactAttribute(params string[] relativePaths)
    {
        Skip = SharedData.MissingReason(relativePaths);
    }
}

/// <summary>A theory that needs files from the shared data folder; skipped with the reason when they are absent.</summary>
public sealed class RequiresDataTheoryAttribute : TheoryAttribute
{
    public RequiresDataTheoryAttribute(params string[] relativePaths)
    {
        Skip = SharedData.MissingReason(relativePaths);
    }
}

/// <summary>Paths into the shared data folder for tests.</summary>
public static class SharedData
{
    public static string Root => ToolSharpData.Root;

    public static string Path(params string[] parts) => ToolSharpData.PathTo(parts);

    /// <summary>Null when every path exists; otherwise a skip reason naming the first missing one.</summary>
    public static string? MissingReason(params string[] relativePaths)
    {
        var paths = relativePaths.Length == 0 ? [""] : relativePaths;
        foreach (var rel in paths)
        {
            var full = System.IO.Path.Combine(ToolSharpData.Root, rel);
            if (!File.Exists(full) && !Directory.Exists(full))
                return $"shared data not found: {full} (set {ToolSharpData.EnvironmentVariable} to the shared data folder)";
        }
        return null;
    }
}
