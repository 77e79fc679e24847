namespace ToolSharp.Core.Data;

/// <summary>Locates the shared data folder (datasets, tokenizers, chat templates) beside the project.</summary>
/// <remarks>
/// The folder comes from <c>TOOLSHARP_DATA</c>; otherwise it is <c>../shared</c> relative to the repository root,
/// found by walking up from the working directory and from the running assembly to <c>ToolSharp.sln</c>, so that
/// tests (which run from <c>bin/</c>) and the CLI (run from anywhere in the checkout) see the same folder.
/// </remarks>
public static class ToolSharpData
{
    public const string EnvironmentVariable = "TOOLSHARP_DATA";

    /// <summary>The resolved data root (it may not exist; see <see cref="Exists"/>).</summary>
    public static string Root => Resolve();

    /// <summary>True when the data root exists on disk.</summary>
    public static bool Exists => Directory.Exists(Root);

    /// <summary>A path below the data root.</summary>
    public static string PathTo(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Returns the path of a required file below the data root, or throws a clear error naming it.</summary>
    public static string RequireFile(params string[] parts)
    {
        var path = PathTo(parts);
        if (!File.Exists(path))
        {
            throw new Errors.ToolSharpException(
                $"data file not found: {path} (set {EnvironmentVariable} to the shared data folder; currently '{Root}')");
        }
        return path;
    }

    private static string Resolve()
    {
        var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv)) return Path.GetFullPath(fromEnv);

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            var repo = FindRepositoryRoot(start);
            if (repo is not null) return Path.GetFullPath(Path.Combine(repo, "..", "shared"));
        }
        return Path.GetFullPath(Path.Combine(Directory.GetCurrentDirectory(), "..", "shared"));
    }

    /// <summary>The nearest ancestor of <paramref name="start"/> holding <c>ToolSharp.sln</c>, or null.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ToolSharp.sln"))) return dir.FullName;
        }
        return null;
    }
}
