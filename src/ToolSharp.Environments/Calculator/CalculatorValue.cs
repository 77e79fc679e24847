using System.Globalization;
using System.Numerics;

namespace ToolSharp.Environments.Calculator;

/// <summary>A calculator result: exact (a <see cref="Rational"/>) whenever the operations allow, otherwise a double.</summary>
/// <remarks>Only a power with a non-integer exponent (or an exact result too large to keep) leaves exact arithmetic.</remarks>
public readonly struct CalculatorValue : IEquatable<CalculatorValue>
{
    /// <summary>Exact results may have at most this many bits in numerator or denominator (about 1,200 decimal digits).</summary>
    public const int MaxExactBits = 4000;

    private CalculatorValue(Rational? exact, double approximate)
    {
        Exact = exact;
        Approximate = approximate;
    }

    public static CalculatorValue FromExact(Rational value)
    {
        if (value.Numerator.GetBitLength() > MaxExactBits || value.Denominator.GetBitLength() > MaxExactBits)
            throw new CalculatorException("result too large", 0);
        return new(value, value.ToDouble());
    }

    public static CalculatorValue FromDouble(double value)
    {
        if (double.IsNaN(value)) throw new CalculatorException("result is not a real number", 0);
        if (double.IsInfinity(value)) throw new CalculatorException("result too large", 0);
        return new(null, value);
    }

    /// <summary>The exact value, or null when the result is approximate.</summary>
    public Rational? Exact { get; }

    /// <summary>The value as a double (always set).</summary>
    public double Approximate { get; }

    public bool IsExact => Exact is not null;

    public static CalculatorValue operator +(CalculatorValue a, CalculatorValue b) =>
        a.Exact is { } x && b.Exact is { } y ? FromExact(x + y) : FromDouble(a.Approximate + b.Approximate);

    public static CalculatorValue operator -(CalculatorValue a, CalculatorValue b) =>
        a.Exact is { } x && b.Exact is { } y ? FromExact(x - y) : FromDouble(a.Approximate - b.Approximate);

    public static CalculatorValue operator -(CalculatorValue a) =>
        a.Exact is { } x ? FromExact(-x) : FromDouble(-a.Approximate);

    public static CalculatorValue operator *(CalculatorValue a, CalculatorValue b) =>
        a.Exact is { } x && b.Exact is { } y ? FromExact(x * y) : FromDouble(a.Approximate * b.Approximate);

    public static CalculatorValue operator /(CalculatorValue a, CalculatorValue b)
    {
        if (b.Approximate == 0 && (b.Exact is null || b.Exact.Value.Sign == 0)) throw new DivideByZeroException("division by zero");
        return a.Exact is { } x && b.Exact is { } y ? FromExact(x / y) : FromDouble(a.Approximate / b.Approximate);
    }

    /// <summary>Floor division (Python's <c>//</c>): the largest whole number not above a / b.</summary>
    public CalculatorValue FloorDivide(CalculatorValue b)
    {
        var q = this / b;
        if (q.Exact is { } exact)
        {
            var floor = BigInteger.DivRem(exact.Numerator, exact.Denominator, out var remainder);
            if (remainder.Sign < 0) floor -= 1;
            return FromExact(floor);
        }
        return FromDouble(Math.Floor(q.Approximate));
    }

    /// <summary>Power: exact for an exact base and an integer exponent of reasonable size; a double otherwise.</summary>
    public CalculatorValue Pow(CalculatorValue exponent)
    {
        if (Exact is { } b && exponent.Exact is { IsInteger: true } e)
        {
            if (BigInteger.Abs(e.Numerator) > 100_000) throw new CalculatorException("exponent too large", 0);
            var n = (int)e.Numerator;
            // Estimate the size before computing so that 9^99999 is refused instead of computed.
            var bits = Math.Max(b.Numerator.GetBitLength(), b.Denominator.GetBitLength()) * (long)Math.Abs(n);
            if (bits > MaxExactBits * 2L) throw new CalculatorException("result too large", 0);
            return FromExact(b.Pow(n));
        }
        if (Approximate < 0 && exponent.Exact is not { IsInteger: true })
            throw new CalculatorException("a negative number to a fractional power is not a real number", 0);
        return FromDouble(Math.Pow(Approximate, exponent.Approximate));
    }

    /// <summary>
    /// The result as the model sees it: integers in full, finite decimals exactly (up to 10 places), other fractions rounded to
    /// 10 decimal places, and approximate results with 12 significant digits.
    /// </summary>
    public override string ToString()
    {
        if (Exact is { } exact)
        {
            var text = exact.ToDecimalString(10);
            // Rounding a tiny non-zero value to 10 places would print 0: use scientific notation instead.
            if (exact.Sign != 0 && text.TrimStart('-').All(c => c is '0' or '.')) return Approximate.ToString("G12", CultureInfo.InvariantCulture);
            return text;
        }
        var rounded = Approximate.ToString("G12", CultureInfo.InvariantCulture);
        return rounded == "-0" ? "0" : rounded;
    }

    public bool Equals(CalculatorValue other) => Exact == other.Exact && Approximate.Equals(other.Approximate);

    public override bool Equals(object? obj) => obj is CalculatorValue v && Equals(v);

    public override int GetHashCode() => HashCode.Combine(Exact, Approximate);
}
