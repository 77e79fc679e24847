namespace ToolSharp.Environments.Bfcl.Python;

/// <summary>Python's <c>...</c> (<c>Ellipsis</c>), which one of BFCL's long-context lists ends with.</summary>
internal sealed class PyEllipsis : IPyObject
{
    public static PyEllipsis Instance { get; } = new();

    private PyEllipsis()
    {
    }

    public string TypeName => "ellipsis";

    public string Repr() => "Ellipsis";

    public bool PyEquals(object? other) => ReferenceEquals(this, other);
}
