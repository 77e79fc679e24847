namespace ToolSharp.Evaluation.Tests.Statistics;

/// <summary>The resampling generator as docs/evaluation.md specifies it, written from that text for the reference
/// tests: SplitMix64 (Steele, Lea and Flood 2014) and an index below n by rejection of the top partial block.</summary>
public sealed class ReferenceSplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15UL;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n): draw until the value falls below the largest multiple of n that fits (2^64 − 1 − (2^64 − 1) mod n), then take it mod n.</summary>
    public int Below(int n)
    {
        var limit = ulong.MaxValue - ulong.MaxValue % (ulong)n;
        ulong x;
        do x = Next(); while (x >= limit);
        return (int)(x % (ulong)n);
    }
}
