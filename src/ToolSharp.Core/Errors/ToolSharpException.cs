namespace ToolSharp.Core.Errors;

/// <summary>Base of every error ToolSharp reports to a user: its message is one clear line, no stack trace needed.</summary>
public class ToolSharpException : Exception
{
    public ToolSharpException(string message) : base(message) { }

    public ToolSharpException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>Input that does not have the expected shape: names the source, line, field, and expected vs. found.</summary>
public sealed class InputFormatException : ToolSharpException
{
    public InputFormatException(string source, string field, string expected, string found, int? line = null, Exception? inner = null, int? column = null)
        : base(Compose(source, line, column, field, expected, found), inner ?? new Exception())
    {
        SourceName = source;
        Line = line;
        Column = column;
        Field = field;
        Expected = expected;
        Found = found;
    }

    /// <summary>A file name, "&lt;stdin&gt;" or another label for where the input came from.</summary>
    public string SourceName { get; }

    /// <summary>1-based line number in the source, when the input is line-oriented.</summary>
    public int? Line { get; }

    /// <summary>1-based column on <see cref="Line"/>, when known (structured files such as YAML).</summary>
    public int? Column { get; }

    /// <summary>The path of the offending field, e.g. <c>messages[2].tool_calls[0].function.name</c>.</summary>
    public string Field { get; }

    public string Expected { get; }

    public string Found { get; }

    private static string Compose(string source, int? line, int? column, string field, string expected, string found)
    {
        var where = line is null ? source : column is null ? $"{source}:{line}" : $"{source}:{line}:{column}";
        var what = string.IsNullOrEmpty(field) ? "" : $" {field}:";
        return $"{where}:{what} expected {expected}, found {found}";
    }
}
