using System.Runtime.CompilerServices;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace ToolSharp.Environments.Bfcl.Python;

/// <summary>Python's float formatting and rounding: <c>repr</c>, <c>format(x, '.Nf')</c> and <c>round(x, n)</c>.</summary>
/// <remarks>
/// <c>repr</c> is the shortest string that reads back to the same double (as .NET's "R"), laid out as CPython does:
/// positional when the decimal exponent is in [-4, 16), else <c>1e+16</c> / <c>1.5e-05</c> (two exponent digits at
/// least). Fixed-point formatting and <c>round</c> work on the double's exact binary value with round-half-even, so
/// <c>round(2.675, 2)</c> is 2.67 and <c>f"{0.125:.2f}"</c> is <c>0.12</c>, as in Python (.NET rounds those up).
/// </remarks>
internal static class PyFloat
{
    [ThreadStatic]
    private static Dictionary<double, string>? _recent;

    /// <summary>Python's <c>repr(float)</c>; results are cached per thread, as the same values recur in BFCL's outputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Repr(double d)
    {
        var cache = _recent ??= new Dictionary<double, string>();
        if (cache.TryGetValue(d, out var known) && (d != 0 || double.IsNegative(d) == known.StartsWith('-'))) return known;
        var text = Format(d);
        if (cache.Count >= 4096) cache.Clear();
        cache[d] = text;
        return text;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string Format(double d)
    {
        if (double.IsNaN(d)) return "nan";
        if (double.IsPositiveInfinity(d)) return "inf";
        if (double.IsNegativeInfinity(d)) return "-inf";
        if (d == 0) return double.IsNegative(d) ? "-0.0" : "0.0";
        // Between 1e-4 and 1e16 Python writes positional digits; where .NET's shortest form is positional too it is the same
        // text (plus ".0" for whole numbers).
        var magnitude = Math.Abs(d);
        if (magnitude is >= 1e-4 and < 1e16)
        {
            var shortest = d.ToString("R", CultureInfo.InvariantCulture);
            if (shortest.IndexOf('E') < 0) return shortest.Contains('.') ? shortest : shortest + ".0";
        }
        var (digits, point) = ShortestDigits(Math.Abs(d));
        var sb = new StringBuilder();
        if (d < 0) sb.Append('-');
        if (point > -4 && point <= 16)
        {
            if (point <= 0) sb.Append("0.").Append('0', -point).Append(digits);
            else if (point >= digits.Length) sb.Append(digits).Append('0', point - digits.Length).Append(".0");
            else sb.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
        }
        else
        {
            sb.Append(digits[0]);
            if (digits.Length > 1) sb.Append('.').Append(digits, 1, digits.Length - 1);
            var exponent = point - 1;
            sb.Append('e').Append(exponent < 0 ? '-' : '+').Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>The shortest round-trip digits of a positive finite double, and the decimal point's position:
    /// value = 0.digits × 10^point.</summary>
    private static (string Digits, int Point) ShortestDigits(double d)
    {
        var r = d.ToString("R", CultureInfo.InvariantCulture);
        var e = r.IndexOfAny(['E', 'e']);
        var mantissa = e < 0 ? r : r[..e];
        var exponent = e < 0 ? 0 : int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.');
        var integer = dot < 0 ? mantissa : mantissa[..dot];
        var fraction = dot < 0 ? "" : mantissa[(dot + 1)..];
        var all = integer + fraction;
        var leading = all.Length - all.TrimStart('0').Length;
        var digits = all.Trim('0');
        return (digits, integer.Length + exponent - leading);
    }

    /// <summary>The exact decimal value of a finite double: value = sign × digits × 10^-scale (digits without sign).</summary>
    public static (bool Negative, BigInteger Digits, int Scale) Exact(double d)
    {
        var bits = BitConverter.DoubleToInt64Bits(d);
        var negative = bits < 0;
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0) exponent = 1;
        else mantissa |= 1L << 52;
        exponent -= 1075;
        if (exponent >= 0) return (negative, new BigInteger(mantissa) << exponent, 0);
        return (negative, new BigInteger(mantissa) * BigInteger.Pow(5, -exponent), -exponent);
    }

    /// <summary>Rounds sign × digits × 10^-scale to <paramref name="places"/> decimals (may be negative), half to even:
    /// the result as digits × 10^-places.</summary>
    private static BigInteger RoundHalfEven(BigInteger digits, int scale, int places)
    {
        var drop = scale - places;
        if (drop <= 0) return digits * BigInteger.Pow(10, -drop);
        var divisor = BigInteger.Pow(10, drop);
        var q = BigInteger.DivRem(digits, divisor, out var rem);
        var twice = rem * 2;
        if (twice > divisor || (twice == divisor && !q.IsEven)) q += 1;
        return q;
    }

    /// <summary><c>format(x, '.{places}f')</c>.</summary>
    public static string Fixed(double d, int places)
    {
        if (double.IsNaN(d)) return "nan";
        if (double.IsInfinity(d)) return d > 0 ? "inf" : "-inf";
        var (negative, digits, scale) = Exact(d);
        var rounded = RoundHalfEven(digits, scale, places);
        var text = rounded.ToString(CultureInfo.InvariantCulture);
        if (places > 0)
        {
            if (text.Length <= places) text = new string('0', places - text.Length + 1) + text;
            text = text[..^places] + "." + text[^places..];
        }
        return negative ? "-" + text : text;
    }

    /// <summary>Python's <c>round(x, ndigits)</c> for a float: the nearest double to the correctly rounded decimal.</summary>
    public static double Round(double d, BigInteger ndigits)
    {
        if (double.IsNaN(d) || double.IsInfinity(d) || d == 0) return d;
        if (ndigits > 323) return d;
        if (ndigits < -308) return 0.0 * d;
        var places = (int)ndigits;
        var (negative, digits, scale) = Exact(d);
        var rounded = RoundHalfEven(digits, scale, places);
        var text = rounded.ToString(CultureInfo.InvariantCulture) + "e" + (-places).ToString(CultureInfo.InvariantCulture);
        var result = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(result)) throw PyException.OverflowError("rounded value too large to represent");
        return negative ? -result : result;
    }

    /// <summary>Python's <c>round(x)</c> for a float: the nearest int, ties to even.</summary>
    public static BigInteger RoundToInt(double d)
    {
        if (double.IsNaN(d)) throw PyException.ValueError("cannot convert float NaN to integer");
        if (double.IsInfinity(d)) throw PyException.OverflowError("cannot convert float infinity to integer");
        return new BigInteger(Math.Round(d, MidpointRounding.ToEven));
    }
}
