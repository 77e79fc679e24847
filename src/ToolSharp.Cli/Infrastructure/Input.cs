using ToolSharp.Core.Errors;

namespace ToolSharp.Cli.Infrastructure;

/// <summary>Reading command inputs with clear errors for missing files.</summary>
public static class Input
{
    /// <summary>Reads a whole file, or standard input when the path is null or "-".</summary>
    public static string ReadAllText(CliContext ctx, string? path)
    {
        if (path is null or "-") return ctx.In.ReadToEnd();
        return ReadFile(path);
    }

    /// <summary>Reads a file or throws an error that names it.</summary>
    public static string ReadFile(string path)
    {
        if (!File.Exists(path)) throw new ToolSharpException($"{path}: file not found");
        try { return File.ReadAllText(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ToolSharpException($"{path}: cannot read file: {ex.Message}", ex);
        }
    }

    /// <summary>A label for error messages: the path, or &lt;stdin&gt;.</summary>
    public static string Label(string? path) => path is null or "-" ? "<stdin>" : path;
}
