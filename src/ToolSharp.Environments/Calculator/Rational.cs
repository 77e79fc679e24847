using System.Globalization;
using System.Numerics;
using System.Text;

namespace ToolSharp.Environments.Calculator;

/// <summary>An exact rational number (arbitrary-size numerator over a positive denominator, always reduced).</summary>
/// <remarks>Decimal text such as <c>0.1</c> parses exactly (1/10), so <c>0.1 + 0.2</c> is exactly <c>0.3</c>.</remarks>
public readonly struct Rational : IEquatable<Rational>, IComparable<Rational>
{
    public Rational(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero) throw new DivideByZeroException("division by zero");
        if (denominator.Sign < 0)
        {
            numerator = -numerator;
            denominator = -denominator;
        }
        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (!gcd.IsOne && !gcd.IsZero)
        {
            numerator /= gcd;
            denominator /= gcd;
        }
        _numerator = numerator;
        _denominatorMinusOne = denominator - 1;
    }

    // Stored as denominator − 1 so that default(Rational) is 0/1 rather than an invalid 0/0.
    private readonly BigInteger _numerator;
    private readonly BigInteger _denominatorMinusOne;

    public BigInteger Numerator => _numerator;

    public BigInteger Denominator => _denominatorMinusOne + 1;

    public static Rational Zero => default;

    public static Rational One => new(1, 1);

    public bool IsInteger => Denominator.IsOne;

    public int Sign => _numerator.Sign;

    public static implicit operator Rational(long value) => new(value, 1);

    public static implicit operator Rational(BigInteger value) => new(value, 1);

    public static Rational operator +(Rational a, Rational b) =>
        new(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static Rational operator -(Rational a, Rational b) =>
        new(a.Numerator * b.Denominator - b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static Rational operator -(Rational a) => new(-a.Numerator, a.Denominator);

    public static Rational operator *(Rational a, Rational b) =>
        new(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    public static Rational operator /(Rational a, Rational b)
    {
        if (b.Numerator.IsZero) throw new DivideByZeroException("division by zero");
        return new(a.Numerator * b.Denominator, a.Denominator * b.Numerator);
    }

    public static bool operator ==(Rational a, Rational b) => a.Equals(b);

    public static bool operator !=(Rational a, Rational b) => !a.Equals(b);

    public static bool operator <(Rational a, Rational b) => a.CompareTo(b) < 0;

    public static bool operator >(Rational a, Rational b) => a.CompareTo(b) > 0;

    /// <summary>This number to an integer power (negative powers invert; 0^negative is a division by zero).</summary>
    public Rational Pow(int exponent)
    {
        if (exponent >= 0) return new(BigInteger.Pow(Numerator, exponent), BigInteger.Pow(Denominator, exponent));
        if (Numerator.IsZero) throw new DivideByZeroException("division by zero (0 to a negative power)");
        return new(BigInteger.Pow(Denominator, -exponent), BigInteger.Pow(Numerator, -exponent));
    }

    public double ToDouble()
    {
        var value = (double)Numerator / (double)Denominator;
        if (!double.IsNaN(value) && !double.IsInfinity(value)) return value;
        // Both parts beyond double range: scale them down together first.
        var shift = Math.Max(0, (int)Math.Max(Numerator.GetBitLength(), Denominator.GetBitLength()) - 1000);
        return (double)(Numerator >> shift) / (double)(Denominator >> shift);
    }

    /// <summary>True when the decimal expansion ends (the reduced denominator has no prime factors but 2 and 5).</summary>
    public bool HasFiniteDecimal
    {
        get
        {
            var d = Denominator;
            while (d.IsEven) d >>= 1;
            while ((d % 5).IsZero) d /= 5;
            return d.IsOne;
        }
    }

    /// <summary>
    /// Decimal text: exact when the expansion ends within <paramref name="maxFractionDigits"/> digits, otherwise rounded
    /// half away from zero to that many digits, trailing zeros removed (<c>10/3</c> → <c>3.3333333333</c>).
    /// </summary>
    public string ToDecimalString(int maxFractionDigits = 10)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxFractionDigits);
        var scale = BigInteger.Pow(10, maxFractionDigits);
        var scaled = BigInteger.DivRem(BigInteger.Abs(Numerator) * scale, Denominator, out var remainder);
        if (remainder * 2 >= Denominator) scaled += 1;
        var digits = scaled.ToString(CultureInfo.InvariantCulture).PadLeft(maxFractionDigits + 1, '0');
        var integerPart = digits[..^maxFractionDigits];
        var fraction = digits[^maxFractionDigits..].TrimEnd('0');
        var sb = new StringBuilder();
        if (Numerator.Sign < 0 && (integerPart.Any(c => c != '0') || fraction.Length > 0)) sb.Append('-');
        sb.Append(integerPart);
        if (fraction.Length > 0) sb.Append('.').Append(fraction);
        return sb.ToString();
    }

    /// <summary>Parses plain decimal text (<c>-12</c>, <c>3.25</c>, <c>.5</c>, <c>1e3</c>) exactly.</summary>
    public static bool TryParse(string text, out Rational value)
    {
        value = default;
        var s = text.AsSpan().Trim();
        if (s.IsEmpty) return false;
        var negative = false;
        if (s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        var exponent = 0;
        var e = s.IndexOfAny('e', 'E');
        if (e >= 0)
        {
            if (!int.TryParse(s[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent) || Math.Abs(exponent) > 1000)
                return false;
            s = s[..e];
        }
        var dot = s.IndexOf('.');
        var whole = dot < 0 ? s : s[..dot];
        var fraction = dot < 0 ? ReadOnlySpan<char>.Empty : s[(dot + 1)..];
        if (whole.IsEmpty && fraction.IsEmpty) return false;
        foreach (var c in whole) if (!char.IsAsciiDigit(c)) return false;
        foreach (var c in fraction) if (!char.IsAsciiDigit(c)) return false;
        var digits = string.Concat(whole, fraction);
        var numerator = digits.Length == 0 ? BigInteger.Zero : BigInteger.Parse(digits, CultureInfo.InvariantCulture);
        var scale = exponent - fraction.Length;
        value = scale >= 0
            ? new Rational(numerator * BigInteger.Pow(10, scale), 1)
            : new Rational(numerator, BigInteger.Pow(10, -scale));
        if (negative) value = -value;
        return true;
    }

    public static Rational Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"not a decimal number: '{text}'");

    public bool Equals(Rational other) => Numerator == other.Numerator && Denominator == other.Denominator;

    public override bool Equals(object? obj) => obj is Rational r && Equals(r);

    public override int GetHashCode() => HashCode.Combine(Numerator, Denominator);

    public int CompareTo(Rational other) => (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

    /// <summary><c>n</c> for integers, <c>n/d</c> otherwise.</summary>
    public override string ToString() => IsInteger
        ? Numerator.ToString(CultureInfo.InvariantCulture)
        : $"{Numerator.ToString(CultureInfo.InvariantCulture)}/{Denominator.ToString(CultureInfo.InvariantCulture)}";
}
