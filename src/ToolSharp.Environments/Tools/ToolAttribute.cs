namespace ToolSharp.Environments.Tools;

/// <summary>Marks a method as a tool for <see cref="MethodTools"/>. Describe parameters with <see cref="System.ComponentModel.DescriptionAttribute"/>.</summary>
/// <param name="name">The tool name; default: the method name in snake_case without an <c>Async</c> suffix.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ToolAttribute(string? name = null) : Attribute
{
    public string? Name { get; } = name;

    /// <summary>What the tool does; default: the method's <see cref="System.ComponentModel.DescriptionAttribute"/>.</summary>
    public string? Description { get; init; }
}
