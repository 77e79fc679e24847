namespace ToolSharp.Text.Tokenization;

/// <summary>Applies BPE merges to one word's symbol ids: always the lowest-ranked adjacent pair, leftmost on ties.</summary>
/// <remarks>
/// Merges are keyed by the pair of ids packed into a long, valued by (rank, merged id) packed likewise, so a merge is
/// one dictionary probe. Short words use arrays with a rank per adjacent pair (only the two pairs around a merge are
/// re-probed); long words (long runs of symbols or spaces) use a heap so that they stay O(n log n).
/// </remarks>
internal sealed class BpeMerger(Dictionary<long, long> merges)
{
    private const int HeapThreshold = 128;

    public static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    public static long Value(int rank, int merged) => ((long)rank << 32) | (uint)merged;

    public int Count => merges.Count;

    /// <summary>Merges <paramref name="ids"/>[0..count) in place; returns the new count.</summary>
    public int Merge(int[] ids, int count) => count < 2 ? count : count <= HeapThreshold ? MergeSmall(ids, count) : MergeLarge(ids, count);

    private int MergeSmall(int[] ids, int count)
    {
        Span<long> pairs = stackalloc long[HeapThreshold];
        for (var k = 0; k < count - 1; k++) pairs[k] = Probe(ids[k], ids[k + 1]);
        while (count > 1)
        {
            var best = -1;
            var bestValue = long.MaxValue;
            for (var k = 0; k < count - 1; k++)
            {
                if (pairs[k] < bestValue) { bestValue = pairs[k]; best = k; }
            }
            if (best < 0) break;
            ids[best] = (int)(bestValue & 0xFFFFFFFF);
            // Remove symbol best+1 and its pair.
            for (var k = best + 1; k < count - 1; k++) ids[k] = ids[k + 1];
            for (var k = best + 1; k < count - 2; k++) pairs[k] = pairs[k + 1];
            count--;
            if (best > 0) pairs[best - 1] = Probe(ids[best - 1], ids[best]);
            if (best < count - 1) pairs[best] = Probe(ids[best], ids[best + 1]);
        }
        return count;
    }

    /// <summary>(rank, merged id) packed so that comparing values compares ranks; long.MaxValue when the pair never merges.</summary>
    private long Probe(int left, int right) => merges.TryGetValue(Key(left, right), out var v) ? v : long.MaxValue;

    private int MergeLarge(int[] ids, int count)
    {
        // Doubly linked symbols; heap entries (rank, position) are validated lazily against the current neighbours.
        var next = new int[count];
        var prev = new int[count];
        var alive = new bool[count];
        for (var k = 0; k < count; k++) { next[k] = k + 1 < count ? k + 1 : -1; prev[k] = k - 1; alive[k] = true; }
        var heap = new PriorityQueue<(int Left, int LeftId, int RightId, int Merged), (int Rank, int Position)>();
        void Push(int left)
        {
            var right = next[left];
            if (right < 0) return;
            var v = Probe(ids[left], ids[right]);
            if (v != long.MaxValue) heap.Enqueue((left, ids[left], ids[right], (int)(v & 0xFFFFFFFF)), ((int)(v >> 32), left));
        }
        for (var k = 0; k < count - 1; k++) Push(k);
        while (heap.TryDequeue(out var m, out _))
        {
            var left = m.Left;
            var right = next[left];
            // Stale entry: either symbol was merged since it was pushed (a merged id never equals its left part).
            if (!alive[left] || right < 0 || ids[left] != m.LeftId || ids[right] != m.RightId) continue;
            ids[left] = m.Merged;
            alive[right] = false;
            next[left] = next[right];
            if (next[right] >= 0) prev[next[right]] = left;
            if (prev[left] >= 0) Push(prev[left]);
            Push(left);
        }
        var n = 0;
        for (var k = 0; k >= 0; k = next[k]) ids[n++] = ids[k];
        return n;
    }
}
