using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ToolSharp.Core.Randomness;

/// <summary>A small deterministic generator (SplitMix64) whose sequence is fixed by its seed on every machine and .NET version.</summary>
/// <remarks>
/// Task generators seed one per task from (environment, seed, split, index), so any task can be regenerated alone.
/// The whole state is one 64-bit word (<see cref="State"/>), so samplers and trainers can checkpoint it and resume
/// bit-identically.
/// </remarks>
public sealed class SeededRandom
{
    private ulong _state;

    public SeededRandom(ulong seed)
    {
        _state = seed;
    }

    /// <summary>The generator's complete state; assigning a saved value resumes the same sequence.</summary>
    public ulong State
    {
        get => _state;
        set => _state = value;
    }

    /// <summary>A float in [0, 1) with 24 random bits.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>A standard normal sample (Box–Muller; one of the pair is discarded so the state stays a single word).</summary>
    public double NextGaussian()
    {
        double u1;
        do u1 = NextDouble(); while (u1 <= double.Epsilon);
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>A generator seeded from the SHA-256 of the parts' text, joined with '/'.</summary>
    public static SeededRandom For(params object[] parts)
    {
        var text = string.Join("/", parts.Select(p => Convert.ToString(p, System.Globalization.CultureInfo.InvariantCulture)));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return new SeededRandom(BinaryPrimitives.ReadUInt64LittleEndian(hash));
    }

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        var bound = (ulong)maxExclusive;
        var limit = ulong.MaxValue - ulong.MaxValue % bound;
        ulong x;
        do x = NextUInt64(); while (x >= limit);
        return (int)(x % bound);
    }

    /// <summary>A uniform integer in [<paramref name="min"/>, <paramref name="maxInclusive"/>].</summary>
    public long Between(long min, long maxInclusive)
    {
        if (maxInclusive < min) throw new ArgumentOutOfRangeException(nameof(maxInclusive));
        var span = (ulong)(maxInclusive - min) + 1;
        if (span == 0) return (long)NextUInt64();
        var limit = ulong.MaxValue - ulong.MaxValue % span;
        ulong x;
        do x = NextUInt64(); while (x >= limit);
        return min + (long)(x % span);
    }

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];
}
