namespace ToolSharp.Core.Tools;

/// <summary>What went wrong with a tool call, as a stable machine-readable category.</summary>
public enum ToolCallErrorKind
{
    /// <summary>The call text is not valid JSON (or not a valid Python literal for the pythonic format).</summary>
    MalformedJson,
    /// <summary>An opening tag such as <c>&lt;tool_call&gt;</c> has no closing tag.</summary>
    UnterminatedTag,
    /// <summary>The call's structure is wrong: missing name, arguments not an object, unexpected shape.</summary>
    InvalidStructure,
    /// <summary>The named function is not among the available tools.</summary>
    UnknownFunction,
    /// <summary>A required parameter is absent.</summary>
    MissingRequired,
    /// <summary>A parameter value has the wrong JSON type.</summary>
    WrongType,
    /// <summary>A parameter value is not one of the schema's enum values.</summary>
    NotInEnum,
    /// <summary>A parameter is not declared and the schema forbids additional properties.</summary>
    UnexpectedParameter,
    /// <summary>A value breaks a schema constraint other than type or enum (minimum, maxLength, pattern, …).</summary>
    ConstraintViolation,
    /// <summary>The tool ran and failed (an exception or a reported error).</summary>
    ExecutionFailed,
    /// <summary>The tool did not finish within its time limit.</summary>
    Timeout,
    /// <summary>The episode's tool-call budget is exhausted.</summary>
    BudgetExceeded,
}

/// <summary>A structured tool-call failure: what kind, a message naming the parameter, and where.</summary>
/// <param name="Kind">The category.</param>
/// <param name="Message">A human-readable message naming the parameter or position.</param>
/// <param name="Path">The JSON path of the offending parameter (e.g. <c>$.filters.region</c>), when relevant.</param>
/// <param name="Position">The character offset in the parsed text, when relevant.</param>
public sealed record ToolCallError(ToolCallErrorKind Kind, string Message, string? Path = null, int? Position = null)
{
    /// <summary>The kind as a snake_case string, the form used in JSON output.</summary>
    public string KindName => SnakeCase(Kind.ToString());

    public override string ToString() => $"{KindName}: {Message}";

    internal static string SnakeCase(string pascal)
    {
        var sb = new System.Text.StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c))
            {
                if (i > 0) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
