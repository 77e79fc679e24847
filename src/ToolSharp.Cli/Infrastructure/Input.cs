using ToolSharp.Core.Data;

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
    public static string ReadFile(string path) => TextFiles.Read(path);

    /// <summary>A label for error messages: the path, or &lt;stdin&gt;.</summary>
    public static string Label(string? path) => path is null or "-" ? "<stdin>" : path;
}
