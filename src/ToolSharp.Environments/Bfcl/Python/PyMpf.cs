using System.Globalization;
using System.Numerics;
using System.Text;

namespace ToolSharp.Environments.Bfcl.Python;

/// <summary>An mpmath binary floating-point number (<c>mpf</c>, or <c>mpc</c> when <see cref="Imaginary"/> is set) and
/// the one computation BFCL's math backend does with it: <c>mpmath.log(value) / mpmath.log(base)</c> at
/// <c>mp.dps = precision</c>, with mpmath's <c>repr</c> (<c>mpf('1.301025')</c>).</summary>
/// <remarks>
/// Precision in bits is mpmath's <c>dps_to_prec</c>; logarithms are computed to 128 guard bits and rounded to nearest
/// (ties to even), as mpmath's correctly rounded results are except within 2^-20 of a tie; division is exact then
/// rounded. The repr follows mpmath's <c>to_str</c> with <c>repr_dps</c> digits: digits truncated at dps + 3, then
/// rounded on the first dropped digit, trailing zeros removed.
/// </remarks>
internal sealed class PyMpf : IPyObject
{
    private const double Log2Of10 = 3.3219280948873626;

    private PyMpf(Binary real, Binary? imaginary, int precision)
    {
        Real = real;
        Imaginary = imaginary;
        Precision = precision;
    }

    /// <summary>A finite value man × 2^exp (man ≥ 0), or one of the special values.</summary>
    internal readonly record struct Binary(bool Negative, BigInteger Man, int Exp, char Special = '\0')
    {
        public static readonly Binary Zero = new(false, BigInteger.Zero, 0);

        public bool IsZero => Special == '\0' && Man.IsZero;
    }

    public Binary Real { get; }

    public Binary? Imaginary { get; }

    /// <summary>Working precision in bits (for the repr's digit count).</summary>
    public int Precision { get; }

    public string TypeName => Imaginary is null ? "mpf" : "mpc";

    /// <summary>mpmath's <c>dps_to_prec(dps)</c>.</summary>
    public static int PrecisionFor(BigInteger dps) =>
        (int)Math.Max(1, Math.Round(((double)dps + 1) * Log2Of10, MidpointRounding.ToEven));

    /// <summary><c>mpmath.log(value) / mpmath.log(base)</c> at <paramref name="precision"/> bits.</summary>
    public static PyMpf LogRatio(object? value, object? @base, int precision)
    {
        var (a, b) = Log(Convert(value), precision);
        var (c, d) = Log(Convert(@base), precision);
        if (d is null)
        {
            // mpf / mpf, or mpc / mpf component by component.
            return new PyMpf(Divide(a, c, precision), b is { } im ? Divide(im, c, precision) : null, precision);
        }
        var wp = precision + 10;
        var magnitude = Add(Multiply(c, c), Multiply(d.Value, d.Value), wp);
        if (b is null)
        {
            // mpmath's mpc_mpf_div: p / (c + di).
            return new PyMpf(Divide(Multiply(c, a), magnitude, precision), Divide(Negate(Multiply(d.Value, a)), magnitude, precision), precision);
        }
        // mpmath's mpc_div: (a + bi) / (c + di), the numerators rounded down to prec + 10 bits.
        var t = Add(Multiply(a, c), Multiply(b.Value, d.Value), wp);
        var u = Add(Multiply(b.Value, c), Negate(Multiply(a, d.Value)), wp);
        return new PyMpf(Divide(t, magnitude, precision), Divide(u, magnitude, precision), precision);
    }

    private static Binary Negate(Binary x) => x.IsZero ? x : x with { Negative = !x.Negative };

    private static Binary Multiply(Binary x, Binary y)
    {
        if (x.Special != '\0' || y.Special != '\0') return new Binary(false, 0, 0, 'n');
        if (x.Man.IsZero || y.Man.IsZero) return Binary.Zero;
        return new Binary(x.Negative != y.Negative, x.Man * y.Man, x.Exp + y.Exp);
    }

    // mpf_add with round_fast (toward zero), as mpmath's complex division rounds its intermediate sums.
    private static Binary Add(Binary x, Binary y, int precision)
    {
        if (x.Special != '\0' || y.Special != '\0') return new Binary(false, 0, 0, 'n');
        if (x.Man.IsZero) return Normalize(y.Negative, y.Man, y.Exp, false, precision, towardZero: true);
        if (y.Man.IsZero) return Normalize(x.Negative, x.Man, x.Exp, false, precision, towardZero: true);
        var exp = Math.Min(x.Exp, y.Exp);
        var xm = (x.Negative ? -x.Man : x.Man) << (x.Exp - exp);
        var ym = (y.Negative ? -y.Man : y.Man) << (y.Exp - exp);
        var sum = xm + ym;
        return Normalize(sum.Sign < 0, BigInteger.Abs(sum), exp, false, precision, towardZero: true);
    }

    private static Binary Convert(object? x)
    {
        switch (x)
        {
            case bool or BigInteger:
                var i = Py.ToInteger(x);
                return new Binary(i.Sign < 0, BigInteger.Abs(i), 0);
            case double d:
                if (double.IsNaN(d)) return new Binary(false, 0, 0, 'n');
                if (double.IsInfinity(d)) return new Binary(d < 0, 0, 0, 'i');
                var bits = BitConverter.DoubleToInt64Bits(d);
                var exponent = (int)((bits >> 52) & 0x7FF);
                var mantissa = bits & 0xFFFFFFFFFFFFFL;
                if (exponent == 0) exponent = 1;
                else mantissa |= 1L << 52;
                return new Binary(bits < 0, mantissa, exponent - 1075);
            default:
                throw PyException.TypeError("cannot create mpf from " + Py.Repr(x));
        }
    }

    private static (Binary Real, Binary? Imaginary) Log(Binary x, int precision)
    {
        if (x.Special == 'n') return (x, null);
        if (x.Special == 'i') return x.Negative ? (new Binary(false, 0, 0, 'i'), Pi(precision)) : (x, null);
        if (x.Man.IsZero) return (new Binary(true, 0, 0, 'i'), null);
        var magnitude = LogAbs(x, precision);
        return x.Negative ? (magnitude, Pi(precision)) : (magnitude, null);
    }

    // ln|x| rounded to precision bits; x = man·2^exp = m·2^k with m in [1, 2).
    private static Binary LogAbs(Binary x, int precision)
    {
        var man = x.Man;
        var bitLength = (int)man.GetBitLength();
        var k = x.Exp + bitLength - 1;
        if (man == BigInteger.One << (bitLength - 1) && k == 0) return Binary.Zero;
        var w = precision + 128;
        var one = BigInteger.One << w;
        var m = bitLength - 1 >= w ? man >> (bitLength - 1 - w) : man << (w - (bitLength - 1));
        var ln = Atanh2(m - one, m + one, w) + k * Ln2(w);
        return RoundFixed(ln, w, precision);
    }

    // 2·atanh(p/q) in fixed point with w fraction bits: ln((q+p)/(q-p)).
    private static BigInteger Atanh2(BigInteger p, BigInteger q, int w)
    {
        if (p.IsZero) return BigInteger.Zero;
        var z = (p << w) / q;
        var z2 = (z * z) >> w;
        var term = z;
        var sum = BigInteger.Zero;
        for (var n = 1; !term.IsZero; n += 2)
        {
            sum += term / n;
            term = (term * z2) >> w;
        }
        return sum * 2;
    }

    private static BigInteger Ln2(int w) => Atanh2(BigInteger.One, new BigInteger(3), w + 8) >> 8;

    private static Binary Pi(int precision)
    {
        // pi = 16 atan(1/5) - 4 atan(1/239), Machin.
        var w = precision + 128;
        var pi = 16 * Atan(5, w) - 4 * Atan(239, w);
        return RoundFixed(pi, w, precision);
    }

    private static BigInteger Atan(int inverse, int w)
    {
        var x = (BigInteger.One << w) / inverse;
        var x2 = inverse * inverse;
        var term = x;
        var sum = BigInteger.Zero;
        for (var n = 1; !term.IsZero; n += 2)
        {
            sum += (n / 2) % 2 == 0 ? term / n : -(term / n);
            term /= x2;
        }
        return sum;
    }

    // Rounds the fixed-point value v·2^-w to precision significant bits, nearest with ties to even.
    private static Binary RoundFixed(BigInteger v, int w, int precision)
    {
        var negative = v.Sign < 0;
        return Normalize(negative, BigInteger.Abs(v), -w, false, precision);
    }

    /// <summary>man·2^exp rounded to <paramref name="precision"/> bits; <paramref name="sticky"/> marks nonzero bits below man.</summary>
    private static Binary Normalize(bool negative, BigInteger man, int exp, bool sticky, int precision, bool towardZero = false)
    {
        if (man.IsZero) return Binary.Zero;
        var bits = (int)man.GetBitLength();
        if (bits > precision)
        {
            var drop = bits - precision;
            var q = man >> drop;
            var rem = man - (q << drop);
            var half = BigInteger.One << (drop - 1);
            if (!towardZero && (rem > half || (rem == half && (sticky || !q.IsEven)))) q += 1;
            man = q;
            exp += drop;
        }
        while (!man.IsZero && man.IsEven)
        {
            man >>= 1;
            exp++;
        }
        return new Binary(negative, man, exp);
    }

    private static Binary Divide(Binary s, Binary t, int precision)
    {
        if (s.Special != '\0' || t.Special != '\0' || s.Man.IsZero || t.Man.IsZero)
        {
            if (s.IsZero && t.IsZero || t.IsZero) throw PyException.ZeroDivisionError("");
            if (s.Special == 'n' || t.Special == 'n') return new Binary(false, 0, 0, 'n');
            if (s.IsZero) return Binary.Zero;
            if (s.Special == 'i' && t.Special == 'i') return new Binary(false, 0, 0, 'n');
            if (s.Special == 'i') return new Binary(s.Negative != t.Negative, 0, 0, 'i');
            return Binary.Zero;
        }
        var negative = s.Negative != t.Negative;
        var extra = Math.Max(5, precision - (int)s.Man.GetBitLength() + (int)t.Man.GetBitLength() + 5);
        var q = BigInteger.DivRem(s.Man << extra, t.Man, out var rem);
        return Normalize(negative, q, s.Exp - t.Exp - extra, !rem.IsZero, precision);
    }

    public string Repr()
    {
        var digits = ReprDigits(Precision);
        return Imaginary is { } im
            ? $"mpc(real='{ToStr(Real, digits)}', imag='{ToStr(im, digits)}')"
            : $"mpf('{ToStr(Real, digits)}')";
    }

    private static int ReprDigits(int precision)
    {
        var dps = (int)Math.Max(1, Math.Round(precision / Log2Of10, MidpointRounding.ToEven) - 1);
        return dps == 15 ? 17 : dps + 3;
    }

    /// <summary>mpmath's <c>to_str(x, dps)</c>.</summary>
    private static string ToStr(Binary x, int dps)
    {
        if (x.Special == 'n') return "nan";
        if (x.Special == 'i') return x.Negative ? "-inf" : "+inf";
        if (x.Man.IsZero) return "0.0";
        var sign = x.Negative ? "-" : "";
        var (digits, exponent) = DigitsExp(x, dps + 3);
        if (digits.Length > dps && digits[dps] >= '5')
        {
            var chars = digits[..dps].ToCharArray();
            var i = dps - 1;
            while (i >= 0 && chars[i] == '9') i--;
            if (i >= 0)
            {
                chars[i]++;
                for (var j = i + 1; j < dps; j++) chars[j] = '0';
                digits = new string(chars);
            }
            else
            {
                digits = "1" + new string('0', dps - 1);
                exponent++;
            }
        }
        else if (digits.Length > dps) digits = digits[..dps];

        var minFixed = Math.Min(-(dps / 3), -5);
        int split;
        if (minFixed < exponent && exponent < dps)
        {
            if (exponent < 0)
            {
                digits = new string('0', -exponent) + digits;
                split = 1;
            }
            else
            {
                split = exponent + 1;
                if (split > dps) digits += new string('0', split - dps);
            }
            exponent = 0;
        }
        else split = 1;
        digits = digits[..split] + "." + digits[split..];
        digits = digits.TrimEnd('0');
        if (digits.EndsWith('.')) digits += "0";
        if (exponent == 0) return sign + digits;
        return sign + digits + (exponent >= 0 ? "e+" : "e") + exponent.ToString(CultureInfo.InvariantCulture);
    }

    // mpmath's to_digits_exp: digits rounded toward zero, and the decimal exponent of the first digit.
    private static (string Digits, int Exponent) DigitsExp(Binary x, int dps)
    {
        var bitprec = (int)(dps * Log2Of10) + 10;
        var bc = (int)x.Man.GetBitLength();
        var fixprec = Math.Max(bitprec - x.Exp - bc, 0);
        var fixdps = (int)(fixprec / Log2Of10 + 0.5);
        var offset = x.Exp + fixprec;
        var sf = offset >= 0 ? x.Man << offset : x.Man >> -offset;
        var sd = (sf * BigInteger.Pow(10, fixdps)) >> fixprec;
        var digits = sd.ToString(CultureInfo.InvariantCulture);
        return (digits, digits.Length - fixdps - 1);
    }

    public bool PyEquals(object? other) => ReferenceEquals(this, other);

    public override string ToString() => Repr();
}
