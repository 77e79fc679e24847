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

    /// <summary>Runs <paramref name="body"/>(chunk) for every chunk in [0, <paramref name="chunks"/>), in parallel, each
    /// on one thread; the caller decides the partition (and may use more chunks than <see cref="Count"/>, for tests).</summary>
    internal static void Run(int chunks, Action<int> body)
    {
        if (chunks <= 0) return;
        if (chunks == 1)
        {
            body(0);
            return;
        }
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, body);
    }

    /// <summary>The chunk boundaries <see cref="For"/> would use, for kernels that keep one partial result per chunk.</summary>
    public static int ChunkCount(int count, int minPerChunk = 1) =>
        count <= 0 ? 0 : Math.Min(_count, Math.Max(1, count / Math.Max(1, minPerChunk)));
}
