namespace ToolSharp.Models.Generation;

/// <summary>Keys and values of one sequence for every layer, growing as tokens are fed.</summary>
/// <remarks>Forking a sequence copies its cache (copy-on-branch): branches then grow independently.</remarks>
public sealed class KvCache
{
    private float[][] _keys;
    private float[][] _values;

    public KvCache(int layers, int kvWidth, int capacity = 64)
    {
        KvWidth = kvWidth;
        _keys = Enumerable.Range(0, layers).Select(_ => new float[capacity * kvWidth]).ToArray();
        _values = Enumerable.Range(0, layers).Select(_ => new float[capacity * kvWidth]).ToArray();
        Capacity = capacity;
    }

    private KvCache(KvCache other)
    {
        KvWidth = other.KvWidth;
        Capacity = Math.Max(other.Length + 32, other.Length * 5 / 4);
        Length = other.Length;
        _keys = other._keys.Select(k => Copy(k, Capacity * KvWidth, Length * KvWidth)).ToArray();
        _values = other._values.Select(v => Copy(v, Capacity * KvWidth, Length * KvWidth)).ToArray();
    }

    public int KvWidth { get; }

    /// <summary>Positions stored.</summary>
    public int Length { get; private set; }

    public int Capacity { get; private set; }

    public KvCache Clone() => new(this);

    public ReadOnlySpan<float> Keys(int layer, int positions) => _keys[layer].AsSpan(0, positions * KvWidth);

    public ReadOnlySpan<float> Values(int layer, int positions) => _values[layer].AsSpan(0, positions * KvWidth);

    /// <summary>Makes room for <paramref name="count"/> more positions; call before writing a step's rows, since growing
    /// copies only the first <see cref="Length"/> positions.</summary>
    public void Reserve(int count) => EnsureCapacity(Length + count);

    /// <summary>Writes rows for positions [Length, Length + count) of one layer (call for every layer, then <see cref="Advance"/>).</summary>
    public void Write(int layer, ReadOnlySpan<float> keys, ReadOnlySpan<float> values, int count)
    {
        if (Length + count > Capacity) throw new InvalidOperationException($"KV cache needs {Length + count} positions but has {Capacity}; call Reserve first");
        keys[..(count * KvWidth)].CopyTo(_keys[layer].AsSpan(Length * KvWidth));
        values[..(count * KvWidth)].CopyTo(_values[layer].AsSpan(Length * KvWidth));
    }

    public void Advance(int count) => Length += count;

    private void EnsureCapacity(int positions)
    {
        if (positions <= Capacity) return;
        var capacity = Math.Max(positions, Capacity * 2);
        _keys = _keys.Select(k => Copy(k, capacity * KvWidth, Length * KvWidth)).ToArray();
        _values = _values.Select(v => Copy(v, capacity * KvWidth, Length * KvWidth)).ToArray();
        Capacity = capacity;
    }

    private static float[] Copy(float[] source, int size, int used)
    {
        var result = new float[size];
        Array.Copy(source, result, used);
        return result;
    }
}
