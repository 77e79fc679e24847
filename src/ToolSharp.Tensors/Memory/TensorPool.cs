using System.Collections.Concurrent;

namespace ToolSharp.Tensors.Memory;

/// <summary>Recycles float buffers by exact length, so repeated training steps of the same shapes allocate nothing new.</summary>
/// <remarks>Buffers come back zeroed from <see cref="RentZeroed"/>; <see cref="Rent"/> may return stale contents and is
/// for outputs that are fully overwritten.</remarks>
public static class TensorPool
{
    private static readonly ConcurrentDictionary<int, ConcurrentBag<float[]>> Buckets = new();

    /// <summary>Total floats currently parked in the pool (a diagnostic).</summary>
    public static long PooledFloats => Buckets.Sum(b => (long)b.Key * b.Value.Count);

    public static float[] Rent(int length)
    {
        if (length == 0) return [];
        return Buckets.TryGetValue(length, out var bag) && bag.TryTake(out var array) ? array : new float[length];
    }

    public static float[] RentZeroed(int length)
    {
        var array = Rent(length);
        Array.Clear(array);
        return array;
    }

    public static void Return(float[] array)
    {
        if (array.Length == 0) return;
        Buckets.GetOrAdd(array.Length, _ => []).Add(array);
    }

    /// <summary>Drops every pooled buffer (e.g. after changing model size).</summary>
    public static void Clear() => Buckets.Clear();
}
