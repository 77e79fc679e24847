using System.Collections.Concurrent;

namespace ToolSharp.Tensors.Memory;

/// <summary>Recycles float buffers by size class, so training steps allocate (almost) nothing new.</summary>
/// <remarks>
/// Batches of variable-length sequences give every step slightly different shapes; pooling by exact length would
/// never hit and would keep every step's buffers forever. Requests are rounded up to a size class (four per power of
/// two, at most 25% slack), and a rented array may be longer than asked: tensors address [offset, offset + length).
/// The first <c>length</c> floats come back zeroed from <see cref="RentZeroed"/>; <see cref="Rent"/> may return stale
/// contents and is for outputs that are fully overwritten.
/// </remarks>
public static class TensorPool
{
    private static readonly ConcurrentDictionary<int, ConcurrentBag<float[]>> Buckets = new();

    /// <summary>Total floats currently parked in the pool (a diagnostic).</summary>
    public static long PooledFloats => Buckets.Sum(b => (long)b.Key * b.Value.Count);

    public static float[] Rent(int length)
    {
        if (length == 0) return [];
        var size = SizeClass(length);
        return Buckets.TryGetValue(size, out var bag) && bag.TryTake(out var array) ? array : new float[size];
    }

    public static float[] RentZeroed(int length)
    {
        var array = Rent(length);
        Array.Clear(array, 0, length);
        return array;
    }

    public static void Return(float[] array)
    {
        if (array.Length == 0) return;
        Buckets.GetOrAdd(array.Length, _ => []).Add(array);
    }

    /// <summary>The array length a request of <paramref name="length"/> floats gets: the next of 2^k·{1, 1.25, 1.5, 1.75}.</summary>
    public static int SizeClass(int length)
    {
        if (length <= 64) return 64;
        var power = 1 << (31 - int.LeadingZeroCount(length));
        if (power == length) return length;
        var quarter = power / 4;
        var size = power + (length - power + quarter - 1) / quarter * quarter;
        return size;
    }

    /// <summary>Drops every pooled buffer (e.g. after changing model size).</summary>
    public static void Clear() => Buckets.Clear();
}
