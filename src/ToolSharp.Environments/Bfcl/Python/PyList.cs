namespace ToolSharp.Environments.Bfcl.Python;

/// <summary>A Python list: a mutable, ordered sequence compared element by element.</summary>
internal sealed class PyList(List<object?> items)
{
    public PyList() : this([])
    {
    }

    public List<object?> Items { get; } = items;

    public int Count => Items.Count;

    public object? this[int index] => Items[index];

    /// <summary><c>list.remove(x)</c>: removes the first item equal to <paramref name="value"/>.</summary>
    public void Remove(object? value)
    {
        for (var i = 0; i < Items.Count; i++)
        {
            if (ReferenceEquals(Items[i], value) || Py.Equal(Items[i], value))
            {
                Items.RemoveAt(i);
                return;
            }
        }
        throw PyException.ValueError("list.remove(x): x not in list");
    }

    /// <summary><c>list.copy()</c>: a new list holding the same items.</summary>
    public PyList Copy() => new([.. Items]);
}
