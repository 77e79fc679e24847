using ToolSharp.Environments.Bfcl.Python;

namespace ToolSharp.Environments.Bfcl.Backends;

/// <summary>One instance of a BFCL backend class (GorillaFileSystem, TwitterAPI, …): its public methods and its
/// public attributes, which the checker compares.</summary>
/// <remarks>
/// Attributes hold Python values (<see cref="Py"/>) because BFCL's backends store whatever the scenario and the model's
/// arguments contain, and render it with <c>json.dumps</c> or <c>repr</c>. Subclasses declare their methods in a static
/// <see cref="BfclMethodTable{T}"/> and list their attributes in <see cref="State"/> in the order Python's <c>vars()</c> would.
/// </remarks>
internal abstract class BfclApi
{
    protected BfclApi(BfclRuntime runtime)
    {
        Runtime = runtime;
    }

    /// <summary>The module-level objects this instance shares with the other instances of one run.</summary>
    protected BfclRuntime Runtime { get; }

    public abstract string ClassName { get; }

    /// <summary>Stateless classes (MathAPI) are created without loading a scenario.</summary>
    public virtual bool Stateless => false;

    /// <summary>The class's public methods (one table per class, as Python's methods belong to the class).</summary>
    public abstract IReadOnlyDictionary<string, BfclMethod> Methods { get; }

    /// <summary>BFCL's <c>_load_scenario(deepcopy(initial_config[class]), long_context)</c>.</summary>
    public abstract void LoadScenario(PyDict scenario, bool longContext);

    /// <summary>The public attributes (no leading underscore), in <c>vars()</c> order.</summary>
    public abstract IEnumerable<(string Name, object? Value)> State();

    protected static BfclParameter P(string name) => BfclParameter.Required(name);

    protected static BfclParameter P(string name, object? defaultValue) => BfclParameter.Optional(name, defaultValue);

    /// <summary>An optional parameter whose default is a mutable object shared per run (see <see cref="BfclRuntime"/>).</summary>
    protected static BfclParameter Shared<T>(string name, Func<T, object?> defaultOf) where T : BfclApi =>
        BfclParameter.Optional(name, null) with { DefaultOf = api => defaultOf((T)api) };

    /// <summary><c>scenario.get(key, fallback)</c>.</summary>
    protected static object? Get(PyDict scenario, string key, object? fallback) => scenario.Get(key, Py.Value(fallback));

    /// <summary>A dict key lookup that raises <c>KeyError</c>, for <c>d[key]</c> on a value that may not be a dict.</summary>
    protected static object? Item(object? container, object? key) => container switch
    {
        PyDict d => d[key],
        PyList l => l.Items[Index(l.Count, key)],
        _ => throw PyException.TypeError($"'{Py.TypeName(container)}' object is not subscriptable"),
    };

    private static int Index(int count, object? key)
    {
        if (!Py.IsIntegral(key)) throw PyException.TypeError($"list indices must be integers or slices, not {Py.TypeName(key)}");
        var i = (long)Py.ToInteger(key);
        if (i < 0) i += count;
        if (i < 0 || i >= count) throw PyException.IndexError("list index out of range");
        return (int)i;
    }

    /// <summary><c>container[key] = value</c>.</summary>
    protected static void SetItem(object? container, object? key, object? value)
    {
        switch (container)
        {
            case PyDict d: d[key] = value; break;
            case PyList l: l.Items[Index(l.Count, key)] = value; break;
            default: throw PyException.TypeError($"'{Py.TypeName(container)}' object does not support item assignment");
        }
    }

    /// <summary><c>d.get(key, fallback)</c> on a value that should be a dict.</summary>
    protected static object? DictGet(object? container, object? key, object? fallback = null) =>
        container is PyDict d ? d.Get(key, fallback) : throw PyException.AttributeError(container, "get");

    /// <summary>A value that should be a dict (for <c>.items()</c>, <c>.keys()</c>, <c>.values()</c>, <c>.copy()</c>).</summary>
    protected static PyDict AsDict(object? value, string method) => value as PyDict ?? throw PyException.AttributeError(value, method);

    /// <summary>A value that should be a list (for <c>.append()</c>, <c>.extend()</c>, <c>.remove()</c>, <c>.copy()</c>).</summary>
    protected static PyList AsList(object? value, string method) => value as PyList ?? throw PyException.AttributeError(value, method);

    /// <summary><c>list.extend(iterable)</c>.</summary>
    protected static void Extend(object? list, object? iterable) => AsList(list, "extend").Items.AddRange(Py.Iter(iterable));
}
