namespace ToolSharp.Environments.Bfcl.Python;

/// <summary>A Python object other than the built-in value types: a backend object (a file-system directory), a
/// <c>decimal.Decimal</c> or an mpmath number. It brings its own <c>type().__name__</c>, <c>repr</c> and <c>==</c>.</summary>
/// <remarks>None of these is hashable, as in BFCL (classes that define <c>__eq__</c> without <c>__hash__</c>) or as
/// never needed (numbers that only appear in results).</remarks>
internal interface IPyObject
{
    string TypeName { get; }

    string Repr();

    bool PyEquals(object? other);
}
