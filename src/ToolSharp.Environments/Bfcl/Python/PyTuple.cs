namespace ToolSharp.Environments.Bfcl.Python;

/// <summary>A Python tuple: immutable, ordered, hashable when its items are.</summary>
internal sealed class PyTuple(IReadOnlyList<object?> items)
{
    public IReadOnlyList<object?> Items { get; } = items;
}
