using System.Globalization;
using System.Numerics;
using System.Text;

namespace ToolSharp.Environments.Bfcl.Python;

/// <summary>A <c>decimal.Decimal</c> (sign, coefficient, exponent), with the two operations BFCL's math backend uses:
/// <c>Decimal(number)</c> (exact, also from floats) and <c>sqrt()</c> under a context precision, and Python's
/// <c>repr</c> (<c>Decimal('1.414')</c>, scientific notation as the decimal specification's to-scientific-string).</summary>
internal sealed class PyDecimal(bool negative, BigInteger coefficient, int exponent) : IPyObject
{
    public bool Negative { get; } = negative;

    public BigInteger Coefficient { get; } = coefficient;

    public int Exponent { get; } = exponent;

    public string TypeName => "Decimal";

    /// <summary><c>Decimal(int)</c> or <c>Decimal(float)</c>: the exact value.</summary>
    public static PyDecimal From(object? number)
    {
        switch (number)
        {
            case bool or BigInteger:
                var i = Py.ToInteger(number);
                return new PyDecimal(i.Sign < 0, BigInteger.Abs(i), 0);
            case double d:
                if (double.IsNaN(d) || double.IsInfinity(d)) throw PyException.ValueError("cannot convert non-finite float to Decimal here");
                var (negative, digits, scale) = PyFloat.Exact(d);
                // Python keeps as few digits as the float's value needs: strip trailing zeros down to exponent 0.
                while (scale > 0 && !digits.IsZero && (digits % 10).IsZero)
                {
                    digits /= 10;
                    scale--;
                }
                if (digits.IsZero) scale = 0;
                return new PyDecimal(negative, digits, -scale);
            default:
                throw PyException.TypeError($"conversion from {Py.TypeName(number)} to Decimal is not supported");
        }
    }

    /// <summary><c>self.sqrt()</c> with <paramref name="precision"/> significant digits, rounded half to even; an exact
    /// root keeps the ideal exponent (half the operand's).</summary>
    public PyDecimal Sqrt(int precision)
    {
        if (Coefficient.IsZero) return new PyDecimal(Negative, BigInteger.Zero, Exponent >> 1);
        if (Negative) throw new PyException("InvalidOperation", "[<class 'decimal.InvalidOperation'>]");
        var prec = precision + 1;
        var e = Exponent >> 1;
        BigInteger c;
        int l;
        var digitCount = Coefficient.ToString(CultureInfo.InvariantCulture).Length;
        if ((Exponent & 1) != 0)
        {
            c = Coefficient * 10;
            l = (digitCount >> 1) + 1;
        }
        else
        {
            c = Coefficient;
            l = (digitCount + 1) >> 1;
        }
        var shift = prec - l;
        bool exact;
        if (shift >= 0)
        {
            c *= BigInteger.Pow(100, shift);
            exact = true;
        }
        else
        {
            c = BigInteger.DivRem(c, BigInteger.Pow(100, -shift), out var remainder);
            exact = remainder.IsZero;
        }
        e -= shift;

        var n = BigInteger.Pow(10, prec);
        while (true)
        {
            var q = c / n;
            if (n <= q) break;
            n = (n + q) >> 1;
        }
        exact = exact && n * n == c;
        if (exact)
        {
            if (shift >= 0) n /= BigInteger.Pow(10, shift);
            else n *= BigInteger.Pow(10, -shift);
            e += shift;
        }
        else if ((n % 5).IsZero) n += 1;
        return RoundTo(n, e, precision);
    }

    private static PyDecimal RoundTo(BigInteger coefficient, int exponent, int precision)
    {
        var digits = coefficient.ToString(CultureInfo.InvariantCulture).Length;
        if (digits <= precision) return new PyDecimal(false, coefficient, exponent);
        var drop = digits - precision;
        var divisor = BigInteger.Pow(10, drop);
        var q = BigInteger.DivRem(coefficient, divisor, out var rem);
        var twice = rem * 2;
        if (twice > divisor || (twice == divisor && !q.IsEven)) q += 1;
        exponent += drop;
        if (q.ToString(CultureInfo.InvariantCulture).Length > precision)
        {
            q /= 10;
            exponent++;
        }
        return new PyDecimal(false, q, exponent);
    }

    /// <summary><c>str(Decimal)</c>: to-scientific-string.</summary>
    public override string ToString()
    {
        var digits = Coefficient.ToString(CultureInfo.InvariantCulture);
        var adjusted = Exponent + digits.Length - 1;
        var sb = new StringBuilder();
        if (Negative) sb.Append('-');
        if (Exponent <= 0 && adjusted >= -6)
        {
            if (Exponent == 0) sb.Append(digits);
            else if (-Exponent >= digits.Length) sb.Append("0.").Append('0', -Exponent - digits.Length).Append(digits);
            else sb.Append(digits, 0, digits.Length + Exponent).Append('.').Append(digits, digits.Length + Exponent, -Exponent);
        }
        else
        {
            sb.Append(digits[0]);
            if (digits.Length > 1) sb.Append('.').Append(digits, 1, digits.Length - 1);
            sb.Append('E').Append(adjusted >= 0 ? "+" : "-").Append(Math.Abs(adjusted).ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    public string Repr() => $"Decimal('{this}')";

    public bool PyEquals(object? other) => other is PyDecimal d && d.ToString() == ToString();
}
