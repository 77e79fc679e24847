namespace ToolSharp.Text.Templates.Jinja;

/// <summary>Kinds of tokens the Jinja lexer produces.</summary>
internal enum JinjaTokenKind
{
    Data,
    VariableBegin,
    VariableEnd,
    BlockBegin,
    BlockEnd,
    Name,
    String,
    Integer,
    Float,
    Operator,
    End,
}

/// <summary>One lexed token with its 1-based source line.</summary>
internal readonly record struct JinjaToken(JinjaTokenKind Kind, string Text, int Line)
{
    public bool Is(JinjaTokenKind kind, string text) => Kind == kind && Text == text;

    public override string ToString() => Kind switch
    {
        JinjaTokenKind.End => "end of template",
        JinjaTokenKind.Data => "template text",
        JinjaTokenKind.String => $"string '{Text}'",
        _ => $"'{Text}'",
    };
}
