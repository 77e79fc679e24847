using System.Runtime.CompilerServices;
using System.Globalization;
using System.Numerics;

namespace ToolSharp.Environments.Bfcl.Python;

/// <summary>Python's arithmetic and built-in conversions on <see cref="Py"/> values, with CPython 3.11's results and errors.</summary>
/// <remarks>
/// bool counts as int; int op int stays int (any size) except <c>/</c>, which gives a float; int op float gives a float.
/// <c>+</c> and <c>*</c> also concatenate and repeat str and list. Where Python raises (mixing str and int, dividing by
/// zero, overflow) these raise <see cref="PyException"/> with Python's message.
/// </remarks>
internal static class PyOps
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static object? Add(object? a, object? b)
    {
        if (Py.IsNumber(a) && Py.IsNumber(b))
            return a is double || b is double ? ToDouble(a) + ToDouble(b) : Py.ToInteger(a) + Py.ToInteger(b);
        return (a, b) switch
        {
            (string x, string y) => x + y,
            (string, _) => throw PyException.TypeError($"can only concatenate str (not \"{Py.TypeName(b)}\") to str"),
            (PyList x, PyList y) => new PyList([.. x.Items, .. y.Items]),
            (PyList, _) => throw PyException.TypeError($"can only concatenate list (not \"{Py.TypeName(b)}\") to list"),
            (PyTuple x, PyTuple y) => new PyTuple([.. x.Items, .. y.Items]),
            (PyTuple, _) => throw PyException.TypeError($"can only concatenate tuple (not \"{Py.TypeName(b)}\") to tuple"),
            _ => throw Unsupported("+", a, b),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static object? Sub(object? a, object? b)
    {
        if (Py.IsNumber(a) && Py.IsNumber(b))
            return a is double || b is double ? ToDouble(a) - ToDouble(b) : Py.ToInteger(a) - Py.ToInteger(b);
        if (a is PySet x && b is PySet y) return x.Difference(y);
        throw Unsupported("-", a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static object? Mul(object? a, object? b)
    {
        if (Py.IsNumber(a) && Py.IsNumber(b))
            return a is double || b is double ? ToDouble(a) * ToDouble(b) : Py.ToInteger(a) * Py.ToInteger(b);
        if (IsSequence(a) && Py.IsIntegral(b)) return Repeat(a!, Py.ToInteger(b));
        if (IsSequence(b) && Py.IsIntegral(a)) return Repeat(b!, Py.ToInteger(a));
        if (IsSequence(a) && Py.IsNumber(b) || IsSequence(b) && Py.IsNumber(a))
            throw PyException.TypeError($"can't multiply sequence by non-int of type '{Py.TypeName(IsSequence(a) ? b : a)}'");
        if (IsSequence(a) || IsSequence(b))
            throw PyException.TypeError($"can't multiply sequence by non-int of type '{Py.TypeName(IsSequence(a) ? b : a)}'");
        throw Unsupported("*", a, b);
    }

    private static bool IsSequence(object? v) => v is string or PyList or PyTuple;

    private static object Repeat(object sequence, BigInteger times)
    {
        var n = times.Sign <= 0 ? 0 : times > 10_000_000 ? throw new PyException("MemoryError", "") : (int)times;
        return sequence switch
        {
            string s => string.Concat(Enumerable.Repeat(s, n)),
            PyList l => new PyList(Enumerable.Repeat(l.Items, n).SelectMany(x => x).ToList()),
            PyTuple t => new PyTuple(Enumerable.Repeat(t.Items, n).SelectMany(x => x).ToList()),
            _ => throw new InvalidOperationException(),
        };
    }

    /// <summary><c>a / b</c>: always a float for numbers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static object? TrueDiv(object? a, object? b)
    {
        if (!(Py.IsNumber(a) && Py.IsNumber(b))) throw Unsupported("/", a, b);
        if (a is double || b is double)
        {
            var y = ToDouble(b);
            if (y == 0) throw PyException.ZeroDivisionError("float division by zero");
            return ToDouble(a) / y;
        }
        var n = Py.ToInteger(a);
        var d = Py.ToInteger(b);
        if (d.IsZero) throw PyException.ZeroDivisionError("division by zero");
        return IntTrueDiv(n, d);
    }

    // Exact for ints below 2^53, which is where doubles convert exactly; larger ones go through a scaled quotient.
    private static double IntTrueDiv(BigInteger n, BigInteger d)
    {
        var limit = BigInteger.One << 53;
        if (BigInteger.Abs(n) <= limit && BigInteger.Abs(d) <= limit) return (double)n / (double)d;
        var negative = n.Sign * d.Sign < 0;
        n = BigInteger.Abs(n);
        d = BigInteger.Abs(d);
        var shift = 64 + (int)(d.GetBitLength() - n.GetBitLength());
        var q = shift >= 0 ? (n << shift) / d : n / (d << -shift);
        var result = Math.ScaleB((double)q, -shift);
        if (double.IsInfinity(result)) throw PyException.OverflowError("integer division result too large for a float");
        return negative ? -result : result;
    }

    /// <summary><c>a % b</c>: the result takes the sign of the divisor.</summary>
    public static object? Mod(object? a, object? b)
    {
        if (!(Py.IsNumber(a) && Py.IsNumber(b))) throw Unsupported("%", a, b);
        if (a is double || b is double)
        {
            var x = ToDouble(a);
            var y = ToDouble(b);
            if (y == 0) throw PyException.ZeroDivisionError("float modulo");
            var m = x % y;
            if (m != 0)
            {
                if (y < 0 != m < 0) m += y;
            }
            else m = y < 0 ? -0.0 : 0.0;
            return m;
        }
        var n = Py.ToInteger(a);
        var d = Py.ToInteger(b);
        if (d.IsZero) throw PyException.ZeroDivisionError("integer division or modulo by zero");
        var r = BigInteger.Remainder(n, d);
        if (!r.IsZero && (r.Sign < 0) != (d.Sign < 0)) r += d;
        return r;
    }

    /// <summary><c>a ** b</c>.</summary>
    public static object? Pow(object? a, object? b)
    {
        if (!(Py.IsNumber(a) && Py.IsNumber(b))) throw Unsupported("** or pow()", a, b);
        if (a is not double && b is not double)
        {
            var x = Py.ToInteger(a);
            var e = Py.ToInteger(b);
            if (e.Sign >= 0)
            {
                if (BigInteger.Abs(x) > 1 && e > 1_000_000) throw new PyException("MemoryError", "");
                return BigInteger.Pow(x, (int)e);
            }
            if (x.IsZero) throw PyException.ZeroDivisionError("0.0 cannot be raised to a negative power");
            return FloatPow(ToDouble(a), ToDouble(b));
        }
        return FloatPow(ToDouble(a), ToDouble(b));
    }

    private static object FloatPow(double x, double y)
    {
        if (x == 0 && y < 0) throw PyException.ZeroDivisionError("0.0 cannot be raised to a negative power");
        if (x < 0 && Math.Floor(y) != y && !double.IsInfinity(y)) return PyComplex.Pow(x, y);
        var r = Math.Pow(x, y);
        if (double.IsInfinity(r) && !double.IsInfinity(x) && !double.IsInfinity(y)) throw PyException.OverflowError("(34, 'Numerical result out of range')");
        return r;
    }

    public static object? Neg(object? a) => a switch
    {
        double d => -d,
        bool or BigInteger => -Py.ToInteger(a),
        _ => throw PyException.TypeError($"bad operand type for unary -: '{Py.TypeName(a)}'"),
    };

    /// <summary><c>abs(x)</c>.</summary>
    public static object? Abs(object? a) => a switch
    {
        double d => Math.Abs(d),
        bool or BigInteger => BigInteger.Abs(Py.ToInteger(a)),
        _ => throw PyException.TypeError($"bad operand type for abs(): '{Py.TypeName(a)}'"),
    };

    /// <summary>A number as a double (int to float conversion; raises <c>OverflowError</c> for ints beyond float range).</summary>
    public static double ToDouble(object? v) => v switch
    {
        double d => d,
        bool b => b ? 1 : 0,
        BigInteger i => IntToDouble(i),
        _ => throw new InvalidOperationException($"not a number: {Py.TypeName(v)}"),
    };

    private static double IntToDouble(BigInteger i)
    {
        var d = (double)i;
        if (double.IsInfinity(d)) throw PyException.OverflowError("int too large to convert to float");
        return d;
    }

    /// <summary><c>float(x)</c>.</summary>
    public static double Float(object? v) => v switch
    {
        double or bool or BigInteger => ToDouble(v),
        string s => ParseFloat(s),
        _ => throw PyException.TypeError($"float() argument must be a string or a real number, not '{Py.TypeName(v)}'"),
    };

    private static double ParseFloat(string s)
    {
        var t = s.Trim().Replace("_", "", StringComparison.Ordinal);
        var valid = s.Trim().Length > 0 && !s.Trim().StartsWith('_') && !s.Trim().EndsWith('_') && !s.Contains("__", StringComparison.Ordinal);
        var lower = t.ToLowerInvariant().TrimStart('+', '-');
        var sign = t.StartsWith('-') ? -1.0 : 1.0;
        if (valid && lower is "inf" or "infinity") return sign * double.PositiveInfinity;
        if (valid && lower == "nan") return double.NaN;
        if (valid && t.Length > 0 && t.All(c => char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-')
            && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return d;
        throw PyException.ValueError($"could not convert string to float: {Py.Repr(s)}");
    }

    /// <summary><c>int(x)</c>: truncates floats, parses base-10 strings.</summary>
    public static BigInteger Int(object? v) => v switch
    {
        bool or BigInteger => Py.ToInteger(v),
        double d when double.IsNaN(d) => throw PyException.ValueError("cannot convert float NaN to integer"),
        double d when double.IsInfinity(d) => throw PyException.OverflowError("cannot convert float infinity to integer"),
        double d => new BigInteger(Math.Truncate(d)),
        string s => ParseInt(s),
        _ => throw PyException.TypeError($"int() argument must be a string, a bytes-like object or a real number, not '{Py.TypeName(v)}'"),
    };

    private static BigInteger ParseInt(string s)
    {
        var t = s.Trim();
        var body = t.TrimStart('+', '-');
        var ok = body.Length > 0 && t.Length - body.Length <= 1 && !body.StartsWith('_') && !body.EndsWith('_') && !body.Contains("__", StringComparison.Ordinal)
            && body.All(c => char.IsDigit(c) || c == '_');
        if (!ok) throw PyException.ValueError($"invalid literal for int() with base 10: {Py.Repr(s)}");
        var digits = string.Concat(body.Where(c => c != '_').Select(c => (char)('0' + (int)char.GetNumericValue(c))));
        var value = BigInteger.Parse(digits, CultureInfo.InvariantCulture);
        return t.StartsWith('-') ? -value : value;
    }

    /// <summary><c>round(number, ndigits)</c>; with <paramref name="ndigits"/> absent (null) the result is an int.</summary>
    public static object? Round(object? number, object? ndigits, bool hasNdigits)
    {
        if (!hasNdigits || ndigits is null)
        {
            return number switch
            {
                double d => PyFloat.RoundToInt(d),
                bool or BigInteger => Py.ToInteger(number),
                _ => throw PyException.TypeError($"type {Py.TypeName(number)} doesn't define __round__ method"),
            };
        }
        if (!Py.IsIntegral(ndigits)) throw PyException.TypeError($"'{Py.TypeName(ndigits)}' object cannot be interpreted as an integer");
        var n = Py.ToInteger(ndigits);
        switch (number)
        {
            case double d:
                return PyFloat.Round(d, n);
            case bool or BigInteger:
            {
                var i = Py.ToInteger(number);
                if (n.Sign >= 0) return i;
                var unit = BigInteger.Pow(10, (int)BigInteger.Min(-n, 100_000));
                var q = BigInteger.DivRem(BigInteger.Abs(i), unit, out var rem);
                if (rem * 2 > unit || (rem * 2 == unit && !q.IsEven)) q += 1;
                return (i.Sign < 0 ? -q : q) * unit;
            }
            default:
                throw PyException.TypeError($"type {Py.TypeName(number)} doesn't define __round__ method");
        }
    }

    /// <summary><c>sum(items)</c>, adding left to right from int 0 (CPython 3.11 adds floats plainly; 3.12 compensates).</summary>
    public static object? Sum(object? iterable)
    {
        object? total = BigInteger.Zero;
        foreach (var item in Py.Iter(iterable)) total = Add(total, item);
        return total;
    }

    /// <summary><c>min(items)</c>: the first smallest item.</summary>
    public static object? Min(object? iterable)
    {
        var items = Py.Iter(iterable);
        if (items.Count == 0) throw PyException.ValueError("min() arg is an empty sequence");
        var best = items[0];
        for (var i = 1; i < items.Count; i++) if (Py.Lt(items[i], best)) best = items[i];
        return best;
    }

    /// <summary><c>max(items)</c>: the first largest item.</summary>
    public static object? Max(object? iterable)
    {
        var items = Py.Iter(iterable);
        if (items.Count == 0) throw PyException.ValueError("max() arg is an empty sequence");
        var best = items[0];
        for (var i = 1; i < items.Count; i++) if (Py.Gt(items[i], best)) best = items[i];
        return best;
    }

    /// <summary><c>format(x, '.{places}f')</c> for an int or float.</summary>
    public static string FormatFixed(object? value, int places) => value switch
    {
        double d => PyFloat.Fixed(d, places),
        bool or BigInteger => PyFloat.Fixed(ToDouble(value), places),
        _ => throw PyException.ValueError($"Unknown format code 'f' for object of type '{Py.TypeName(value)}'"),
    };

    private static PyException Unsupported(string op, object? a, object? b) =>
        PyException.TypeError($"unsupported operand type(s) for {op}: '{Py.TypeName(a)}' and '{Py.TypeName(b)}'");
}
