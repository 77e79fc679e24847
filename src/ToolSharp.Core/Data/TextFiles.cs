using ToolSharp.Core.Errors;

namespace ToolSharp.Core.Data;

/// <summary>Reads text files with errors that name the file (not found, unreadable) instead of raw IO exceptions.</summary>
public static class TextFiles
{
    public static string Read(string path)
    {
        if (!File.Exists(path)) throw new ToolSharpException($"{path}: file not found");
        try { return File.ReadAllText(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ToolSharpException($"{path}: cannot read file: {ex.Message}", ex);
        }
    }
}
