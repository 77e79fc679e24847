namespace ToolSharp.Environments.Bfcl.Python;

/// <summary>A Python set, iterated in insertion order.</summary>
/// <remarks>Python iterates sets in hash order, which for strings changes with every process (hash randomisation);
/// ToolSharp's fixed order is one of the orders Python may produce.</remarks>
internal sealed class PySet
{
    private readonly OrderedDictionary<PyKey, bool> _items = new();

    public PySet()
    {
    }

    public PySet(IEnumerable<object?> items)
    {
        foreach (var item in items) Add(item);
    }

    public int Count => _items.Count;

    public IEnumerable<object?> Items => _items.Keys.Select(k => k.Value);

    public bool Contains(object? value) => _items.ContainsKey(new PyKey(value));

    public void Add(object? value) => _items.TryAdd(new PyKey(value), true);

    /// <summary><c>a - b</c>: the items of this set not in <paramref name="other"/>.</summary>
    public PySet Difference(PySet other) => new(Items.Where(i => !other.Contains(i)));
}
