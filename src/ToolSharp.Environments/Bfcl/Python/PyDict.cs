using System.Runtime.CompilerServices;

namespace ToolSharp.Environments.Bfcl.Python;

/// <summary>A Python dict: insertion-ordered, keys by Python's hashing and equality (<see cref="PyKey"/>).</summary>
/// <remarks>Assigning to an existing key keeps its place and its original key object; deleting and re-adding moves the
/// key to the end, as in Python. Looking up an unhashable key raises <c>TypeError</c>. Entries live in arrays in
/// insertion order; a hash index is added once a dict outgrows a few entries (BFCL's result dicts mostly have one to
/// five keys, where a scan is cheaper than hashing).</remarks>
internal sealed class PyDict
{
    private const int IndexFrom = 8;
    private object?[] _keys;
    private object?[] _values;
    private int _count;
    private Dictionary<PyKey, int>? _index;

    public PyDict()
        : this(4)
    {
    }

    public PyDict(int capacity)
    {
        capacity = Math.Max(capacity, 1);
        _keys = new object?[capacity];
        _values = new object?[capacity];
    }

    public int Count => _count;

    public IEnumerable<object?> Keys
    {
        get
        {
            for (var i = 0; i < _count; i++) yield return _keys[i];
        }
    }

    public IEnumerable<object?> Values
    {
        get
        {
            for (var i = 0; i < _count; i++) yield return _values[i];
        }
    }

    public IEnumerable<(object? Key, object? Value)> Items()
    {
        for (var i = 0; i < _count; i++) yield return (_keys[i], _values[i]);
    }

    public bool ContainsKey(object? key) => Find(key) >= 0;

    public bool TryGetValue(object? key, out object? value)
    {
        var i = Find(key);
        value = i >= 0 ? _values[i] : null;
        return i >= 0;
    }

    /// <summary><c>d[key]</c> (raises <c>KeyError</c>) and <c>d[key] = value</c>.</summary>
    public object? this[object? key]
    {
        get => Find(key) is var i and >= 0 ? _values[i] : throw PyException.KeyError(key);
        set => Set(key, value);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Set(object? key, object? value)
    {
        var i = Find(key);
        if (i >= 0)
        {
            _values[i] = value;
            return;
        }
        if (_count == _keys.Length)
        {
            Array.Resize(ref _keys, _count * 2);
            Array.Resize(ref _values, _count * 2);
        }
        _keys[_count] = key;
        _values[_count] = value;
        _index?.Add(new PyKey(key), _count);
        _count++;
        if (_index is null && _count > IndexFrom) BuildIndex();
    }

    /// <summary><c>d.get(key, fallback)</c>.</summary>
    public object? Get(object? key, object? fallback = null) => Find(key) is var i and >= 0 ? _values[i] : fallback;

    /// <summary><c>del d[key]</c> / <c>d.pop(key)</c>: raises <c>KeyError</c> when absent.</summary>
    public object? Pop(object? key)
    {
        var i = Find(key);
        if (i < 0) throw PyException.KeyError(key);
        var value = _values[i];
        Array.Copy(_keys, i + 1, _keys, i, _count - i - 1);
        Array.Copy(_values, i + 1, _values, i, _count - i - 1);
        _count--;
        _keys[_count] = null;
        _values[_count] = null;
        if (_index is not null) BuildIndex();
        return value;
    }

    /// <summary><c>d.copy()</c>: a new dict with the same keys and values.</summary>
    public PyDict Copy()
    {
        var copy = new PyDict(_count);
        Array.Copy(_keys, copy._keys, _count);
        Array.Copy(_values, copy._values, _count);
        copy._count = _count;
        if (_index is not null) copy._index = new Dictionary<PyKey, int>(_index);
        return copy;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Find(object? key)
    {
        if (_index is not null) return _index.TryGetValue(new PyKey(key), out var at) ? at : -1;
        if (key is string s)
        {
            for (var i = 0; i < _count; i++)
            {
                if (_keys[i] is string k ? string.Equals(k, s, StringComparison.Ordinal) : Py.Equal(_keys[i], key)) return i;
            }
            return -1;
        }
        Py.RequireHashable(key);
        for (var i = 0; i < _count; i++)
        {
            if (ReferenceEquals(_keys[i], key) || Py.Equal(_keys[i], key)) return i;
        }
        return -1;
    }

    private void BuildIndex()
    {
        _index = new Dictionary<PyKey, int>(_count * 2);
        for (var i = 0; i < _count; i++) _index[new PyKey(_keys[i])] = i;
    }
}
