using System.Numerics;

namespace ToolSharp.Environments.Bfcl.Python;

/// <summary>CPython's <c>random.Random</c>: the MT19937 stream, seeded from an int the way CPython does
/// (<c>init_by_array</c> over the absolute value's 32-bit words, least significant first), with <c>random()</c>,
/// <c>getrandbits</c>, <c>randint</c>/<c>randrange</c> (rejection sampling on <c>getrandbits</c>), <c>uniform</c>
/// and <c>choice</c> producing exactly CPython's values.</summary>
internal sealed class PyRandom
{
    private const int N = 624;
    private const int M = 397;
    private readonly BigInteger _seed;
    private uint[]? _mt;
    private int _index = N + 1;

    // Seeding fills 624 words; most backend instances never draw, so it waits for the first draw.
    public PyRandom(BigInteger seed)
    {
        _seed = seed;
    }

    private uint[] State()
    {
        if (_mt is not null) return _mt;
        _mt = new uint[N];
        var n = BigInteger.Abs(_seed);
        var key = new List<uint>();
        while (!n.IsZero)
        {
            key.Add((uint)(n & uint.MaxValue));
            n >>= 32;
        }
        if (key.Count == 0) key.Add(0);
        InitByArray(_mt, key);
        return _mt;
    }

    private void InitGenrand(uint[] mt, uint s)
    {
        mt[0] = s;
        for (var i = 1; i < N; i++) mt[i] = unchecked(1812433253u * (mt[i - 1] ^ (mt[i - 1] >> 30)) + (uint)i);
        _index = N;
    }

    private void InitByArray(uint[] mt, IReadOnlyList<uint> key)
    {
        InitGenrand(mt, 19650218u);
        int i = 1, j = 0;
        for (var k = Math.Max(N, key.Count); k > 0; k--)
        {
            mt[i] = unchecked((mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525u)) + key[j] + (uint)j);
            i++;
            j++;
            if (i >= N) { mt[0] = mt[N - 1]; i = 1; }
            if (j >= key.Count) j = 0;
        }
        for (var k = N - 1; k > 0; k--)
        {
            mt[i] = unchecked((mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941u)) - (uint)i);
            i++;
            if (i >= N) { mt[0] = mt[N - 1]; i = 1; }
        }
        mt[0] = 0x80000000u;
    }

    /// <summary>The next 32-bit output of the generator.</summary>
    public uint NextUInt32()
    {
        var mt = State();
        if (_index >= N)
        {
            for (var k = 0; k < N; k++)
            {
                var y = (mt[k] & 0x80000000u) | (mt[(k + 1) % N] & 0x7fffffffu);
                mt[k] = mt[(k + M) % N] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908b0dfu : 0u);
            }
            _index = 0;
        }
        var x = mt[_index++];
        x ^= x >> 11;
        x ^= (x << 7) & 0x9d2c5680u;
        x ^= (x << 15) & 0xefc60000u;
        x ^= x >> 18;
        return x;
    }

    /// <summary><c>random()</c>: a double in [0, 1) from 53 bits (27 + 26 of two outputs).</summary>
    public double Random()
    {
        var a = NextUInt32() >> 5;
        var b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
    }

    /// <summary><c>getrandbits(k)</c>: 32-bit words least significant first, the last one shifted down to fit.</summary>
    public BigInteger GetRandBits(int k)
    {
        if (k < 0) throw PyException.ValueError("number of bits must be non-negative");
        if (k == 0) return BigInteger.Zero;
        if (k <= 32) return NextUInt32() >> (32 - k);
        var result = BigInteger.Zero;
        var shift = 0;
        for (var remaining = k; remaining > 0; remaining -= 32)
        {
            var r = NextUInt32();
            if (remaining < 32) r >>= 32 - remaining;
            result |= new BigInteger(r) << shift;
            shift += 32;
        }
        return result;
    }

    /// <summary><c>_randbelow(n)</c>: uniform in [0, n) by drawing n.bit_length() bits until below n.</summary>
    public BigInteger RandBelow(BigInteger n)
    {
        if (n.IsZero) return BigInteger.Zero;
        var k = (int)n.GetBitLength();
        var r = GetRandBits(k);
        while (r >= n) r = GetRandBits(k);
        return r;
    }

    /// <summary><c>randrange(start, stop)</c>.</summary>
    public BigInteger RandRange(BigInteger start, BigInteger stop)
    {
        var width = stop - start;
        if (width.Sign <= 0) throw PyException.ValueError($"empty range for randrange() ({start}, {stop}, {width})");
        return start + RandBelow(width);
    }

    /// <summary><c>randint(a, b)</c>: uniform in [a, b].</summary>
    public BigInteger RandInt(BigInteger a, BigInteger b) => RandRange(a, b + 1);

    /// <summary><c>uniform(a, b)</c> = a + (b - a) · random().</summary>
    public double Uniform(double a, double b) => a + (b - a) * Random();

    /// <summary><c>choice(seq)</c>.</summary>
    public T Choice<T>(IReadOnlyList<T> items)
    {
        if (items.Count == 0) throw PyException.IndexError("Cannot choose from an empty sequence");
        return items[(int)RandBelow(items.Count)];
    }
}
