namespace ToolSharp.Text.Templates.Jinja;

/// <summary>Jinja2's default Undefined: falsy, prints as nothing, iterates as empty; remembers what was missing for error messages.</summary>
internal sealed class JinjaUndefined(string description)
{
    public static readonly JinjaUndefined Instance = new("value");

    public string Description { get; } = description;

    public override string ToString() => "";
}
