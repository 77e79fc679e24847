namespace ToolSharp.Environments.Bfcl.Python;

/// <summary>A value used as a dict key or set member, with Python's hashing and equality: <c>1</c>, <c>1.0</c> and
/// <c>True</c> are one key; strings compare by code points; tuples by their items.</summary>
internal readonly record struct PyKey
{
    public PyKey(object? value)
    {
        Py.RequireHashable(value);
        Value = value;
    }

    public object? Value { get; }

    public bool Equals(PyKey other) =>
        ReferenceEquals(Value, other.Value) || (Value is string a ? other.Value is string b && string.Equals(a, b, StringComparison.Ordinal) : Py.Equal(Value, other.Value));

    public override int GetHashCode() => Py.Hash(Value);
}
