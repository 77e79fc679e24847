namespace ToolSharp.Environments.Bfcl.Backends;

/// <summary>One parameter of a backend method: its name and, for optional ones, the default object.</summary>
/// <remarks>The default is one object reused by every call, as Python evaluates defaults once: a mutable default (a
/// list) is shared by all calls that omit the argument.</remarks>
internal sealed record BfclParameter(string Name, bool HasDefault, object? Default)
{
    /// <summary>For a default that is one object per run rather than per process: looked up on the instance.</summary>
    public Func<BfclApi, object?>? DefaultOf { get; init; }

    public static BfclParameter Required(string name) => new(name, false, null);

    public static BfclParameter Optional(string name, object? value) => new(name, true, Python.Py.Value(value));
}
