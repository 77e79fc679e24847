using ToolSharp.Tensors.Native;

namespace ToolSharp.Tensors.Kernels;

/// <summary>How many threads the engine uses, for its own kernels and for OpenBLAS; results are deterministic for a fixed count.</summary>
public static class EngineThreads
{
    private static int _count = Math.Max(1, Environment.ProcessorCount);

    public static int Count => _count;

    /// <summary>Sets the thread count for managed kernels and OpenBLAS.</summary>
    public static void Set(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "at least one thread");
        _count = threads;
        OpenBlas.SetThreadCount(threads);
    }

    /// <summary>Runs <paramref name="body"/>(start, end) over [0, count) in fixed contiguous chunks, one per thread.</summary>
    /// <remarks>The partition depends only on count and the thread setting, so per-chunk partial results combine
    /// in a fixed order and runs are bit-reproducible. Small workloads run inline.</remarks>
    public static void For(int count, Action<int, int> body, int minPerChunk = 1) =>
        ForChunks(count, (_, start, end) => body(start, end), minPerChunk);

    /// <summary>Like <see cref="For"/>, also passing the chunk index (0 ≤ index &lt; <see cref="ChunkCount"/>) for per-chunk partials.</summary>
    public static void ForChunks(int count, Action<int, int, int> body, int minPerChunk = 1)
    {
        if (count <= 0) return;
        var chunks = ChunkCount(count, minPerChunk);
        if (chunks <= 1)
        {
            body(0, 0, count);
            return;
        }
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
        {
            var start = (int)((long)count * c / chunks);
            var end = (int)((long)count * (c + 1) / chunks);
            if (end > start) body(c, start, end);
        });
    }

    /// <summary>Runs <paramref name="body"/>(start, end) over [0, count) in min(threads, count) contiguous chunks in
    /// parallel; the caller gives the thread count (kernels whose results must not depend on it, and their tests).</summary>
    internal static void Split(int count, int threads, Action<int, int> body)
    {
        var chunks = Math.Min(threads, count);
        if (chunks <= 1)
        {
            if (count > 0) body(0, count);
            return;
        }
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
        {
            var start = (int)((long)count * c / chunks);
            var end = (int)((long)count * (c + 1) / chunks);
            if (end > start) body(start, end);
        });
    }

    /// <summary>The chunk boundaries <see cref="For"/> would use, for kernels that keep one partial result per chunk.</summary>
    public static int ChunkCount(int count, int minPerChunk = 1) =>
        count <= 0 ? 0 : Math.Min(_count, Math.Max(1, count / Math.Max(1, minPerChunk)));
}
