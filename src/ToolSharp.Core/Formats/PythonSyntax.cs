namespace ToolSharp.Core.Formats;

/// <summary>Parses Python expressions of the kind tool-call strings are made of (BFCL's <c>cd(folder='x')</c>,
/// <c>sort('a.txt')</c>, nested literals and nested calls) into <see cref="PythonExpression"/> trees.</summary>
/// <remarks>No operators and no evaluation: the caller decides what names and calls mean. Errors name the offset.</remarks>
public static class PythonSyntax
{
    /// <summary>The parsed expression, or the first error and its offset.</summary>
    public sealed record ParseResult(PythonExpression? Expression, string? Error, int ErrorPosition)
    {
        public bool Success => Expression is not null;
    }

    /// <summary>Parses <paramref name="text"/> as exactly one expression (surrounding whitespace allowed).</summary>
    public static ParseResult ParseExpression(string text) => PythonLiteralParser.ParseExpression(text);

    /// <summary>The assignments of a constants module in source order, or the first error and its offset.</summary>
    public sealed record AssignmentsResult(IReadOnlyList<KeyValuePair<string, PythonExpression>> Assignments, string? Error, int ErrorPosition);

    /// <summary>Parses a module of <c>NAME = expression</c> statements, such as a file of data constants.</summary>
    public static AssignmentsResult ParseAssignments(string text) => PythonLiteralParser.ParseAssignments(text);
}
