namespace ToolSharp.Environments.Bfcl.Python;

/// <summary>A Python dict: insertion-ordered, keys by Python's hashing and equality (<see cref="PyKey"/>).</summary>
/// <remarks>Assigning to an existing key keeps its place and its original key object; deleting and re-adding moves the
/// key to the end, as in Python. Looking up an unhashable key raises <c>TypeError</c>.</remarks>
internal sealed class PyDict
{
    private readonly OrderedDictionary<PyKey, object?> _items;

    public PyDict()
    {
        _items = new OrderedDictionary<PyKey, object?>();
    }

    public PyDict(int capacity)
    {
        _items = new OrderedDictionary<PyKey, object?>(capacity);
    }

    public int Count => _items.Count;

    public IEnumerable<object?> Keys => _items.Keys.Select(k => k.Value);

    public IEnumerable<object?> Values => _items.Values;

    public IEnumerable<(object? Key, object? Value)> Items() => _items.Select(p => (p.Key.Value, p.Value));

    public bool ContainsKey(object? key) => _items.ContainsKey(new PyKey(key));

    public bool TryGetValue(object? key, out object? value) => _items.TryGetValue(new PyKey(key), out value);

    /// <summary><c>d[key]</c> (raises <c>KeyError</c>) and <c>d[key] = value</c>.</summary>
    public object? this[object? key]
    {
        get => _items.TryGetValue(new PyKey(key), out var value) ? value : throw PyException.KeyError(key);
        set => _items[new PyKey(key)] = value;
    }

    public void Set(object? key, object? value) => _items[new PyKey(key)] = value;

    /// <summary><c>d.get(key, fallback)</c>.</summary>
    public object? Get(object? key, object? fallback = null) => _items.TryGetValue(new PyKey(key), out var value) ? value : fallback;

    /// <summary><c>del d[key]</c> / <c>d.pop(key)</c>: raises <c>KeyError</c> when absent.</summary>
    public object? Pop(object? key)
    {
        var k = new PyKey(key);
        if (!_items.Remove(k, out var value)) throw PyException.KeyError(key);
        return value;
    }

    /// <summary><c>d.copy()</c>: a new dict with the same keys and values.</summary>
    public PyDict Copy()
    {
        var copy = new PyDict(_items.Count);
        foreach (var (k, v) in _items) copy._items.Add(k, v);
        return copy;
    }
}
