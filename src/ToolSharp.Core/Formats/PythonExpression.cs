namespace ToolSharp.Core.Formats;

/// <summary>A parsed Python expression from the subset tool calls use: literals, list/tuple/set/dict displays, names and calls.</summary>
/// <remarks>
/// Produced by <see cref="PythonSyntax"/>. Constants hold Python's values as .NET values: <c>None</c> → null,
/// <see cref="bool"/>, <see cref="System.Numerics.BigInteger"/> (int, any size), <see cref="double"/> (float) and
/// <see cref="string"/>. <see cref="Position"/> is the offset of the expression's first character in the parsed text.
/// </remarks>
public abstract record PythonExpression(int Position)
{
    /// <summary>A literal: None, True/False, an int, a float or a string (adjacent strings already concatenated).</summary>
    /// <param name="NumberText">For numbers, the literal as JSON writes it (<c>1_000</c> → <c>1000</c>, <c>5.</c> → <c>5.0</c>).</param>
    public sealed record Constant(object? Value, string? NumberText, int Position) : PythonExpression(Position);

    /// <summary>A list <c>[…]</c>, tuple <c>(…, …)</c> or set <c>{…}</c> display.</summary>
    public sealed record Sequence(PythonSequenceKind Kind, IReadOnlyList<PythonExpression> Items, int Position) : PythonExpression(Position);

    /// <summary>A dict display <c>{key: value, …}</c>, entries in source order (repeated keys kept).</summary>
    public sealed record Dict(IReadOnlyList<KeyValuePair<PythonExpression, PythonExpression>> Entries, int Position) : PythonExpression(Position);

    /// <summary>A name or dotted attribute path, e.g. <c>x</c> or <c>os.path</c>; the literal <c>...</c> is the name <c>Ellipsis</c>.</summary>
    public sealed record Name(string Path, int Position) : PythonExpression(Position);

    /// <summary>A call of a (dotted) name with positional arguments followed by keyword arguments.</summary>
    public sealed record Call(string Target, IReadOnlyList<PythonExpression> Positional, IReadOnlyList<KeyValuePair<string, PythonExpression>> Keywords, int Position)
        : PythonExpression(Position);
}

/// <summary>Which display a <see cref="PythonExpression.Sequence"/> came from.</summary>
public enum PythonSequenceKind
{
    List,
    Tuple,
    Set,
}
