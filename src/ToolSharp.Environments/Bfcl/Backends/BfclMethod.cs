using System.Runtime.CompilerServices;
using ToolSharp.Environments.Bfcl.Python;

namespace ToolSharp.Environments.Bfcl.Backends;

/// <summary>A public method of a backend: its signature and body. Binding follows CPython 3.11 (positional, then
/// keyword; the same <c>TypeError</c> messages for unknown, repeated, missing and surplus arguments).</summary>
internal sealed class BfclMethod(string className, string name, IReadOnlyList<BfclParameter> parameters, Func<BfclApi, object?[], object?> body)
{
    public string Name { get; } = name;

    private readonly BfclParameter[] _parameters = [.. parameters];

    public IReadOnlyList<BfclParameter> Parameters => _parameters;

    private string QualifiedName => $"{className}.{Name}";

    /// <summary>Binds the arguments as Python binds them to <c>def m(self, …)</c> and runs the body.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public object? Invoke(BfclApi self, IReadOnlyList<object?> positional, IReadOnlyList<KeyValuePair<string, object?>> keywords)
    {
        var parameters = _parameters;
        var count = parameters.Length;
        var slots = new object?[count];
        var filled = count <= 16 ? stackalloc bool[count] : new bool[count];
        for (var i = 0; i < Math.Min(positional.Count, count); i++)
        {
            slots[i] = positional[i];
            filled[i] = true;
        }
        for (var k = 0; k < keywords.Count; k++)
        {
            var (key, value) = keywords[k];
            var index = -1;
            for (var i = 0; i < count; i++)
            {
                if (string.Equals(parameters[i].Name, key, StringComparison.Ordinal)) index = i;
            }
            if (index < 0) throw PyException.TypeError($"{QualifiedName}() got an unexpected keyword argument '{key}'");
            if (filled[index]) throw PyException.TypeError($"{QualifiedName}() got multiple values for argument '{key}'");
            slots[index] = value;
            filled[index] = true;
        }
        if (positional.Count > count) throw TooManyPositional(positional.Count + 1);
        List<string>? missing = null;
        for (var i = 0; i < count; i++)
        {
            if (filled[i]) continue;
            var p = parameters[i];
            if (p.HasDefault) slots[i] = p.DefaultOf is { } defaultOf ? defaultOf(self) : p.Default;
            else (missing ??= []).Add(Py.Repr(p.Name));
        }
        if (missing is not null)
        {
            var names = missing.Count switch
            {
                1 => missing[0],
                2 => $"{missing[0]} and {missing[1]}",
                _ => string.Join(", ", missing.Take(missing.Count - 1)) + ", and " + missing[^1],
            };
            throw PyException.TypeError($"{QualifiedName}() missing {missing.Count} required positional argument{(missing.Count == 1 ? "" : "s")}: {names}");
        }
        return body(self, slots);
    }

    // "given" and the counts include self, as CPython counts them for a bound method.
    private PyException TooManyPositional(int given)
    {
        var total = _parameters.Length + 1;
        var defaults = _parameters.Count(p => p.HasDefault);
        var signature = defaults > 0 ? $"from {total - defaults} to {total}" : total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var plural = defaults > 0 || total != 1;
        return PyException.TypeError(
            $"{QualifiedName}() takes {signature} positional argument{(plural ? "s" : "")} but {given} {(given == 1 ? "was" : "were")} given");
    }
}
