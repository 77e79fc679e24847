using ToolSharp.Core.Errors;

namespace ToolSharp.Text.Templates.Jinja;

/// <summary>A chat template failed to parse or render; names the template, the line and the problem (or the template's own <c>raise_exception</c> message).</summary>
public sealed class TemplateError : ToolSharpException
{
    public TemplateError(string source, int line, string problem, bool raisedByTemplate = false)
        : base(line > 0 ? $"{source}:{line}: {problem}" : $"{source}: {problem}")
    {
        SourceName = source;
        Line = line;
        Problem = problem;
        RaisedByTemplate = raisedByTemplate;
    }

    /// <summary>The template file (or a label such as "&lt;chat_template&gt;").</summary>
    public string SourceName { get; }

    /// <summary>1-based line in the template, or 0 when unknown.</summary>
    public int Line { get; }

    /// <summary>The problem without location: for <c>raise_exception</c>, exactly the template's message.</summary>
    public string Problem { get; }

    /// <summary>True when the template itself called <c>raise_exception</c> (the conversation is not one it supports).</summary>
    public bool RaisedByTemplate { get; }
}
