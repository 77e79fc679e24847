namespace ToolSharp.Environments.Bfcl.Python;

/// <summary>A Python complex number, which a negative float raised to a fractional power becomes.</summary>
internal sealed class PyComplex(double real, double imaginary) : IPyObject
{
    public double Real { get; } = real;

    public double Imaginary { get; } = imaginary;

    public string TypeName => "complex";

    /// <summary><c>complex(x) ** complex(y)</c> for real x, y, by CPython's polar formula.</summary>
    public static PyComplex Pow(double x, double y)
    {
        var length = Math.Pow(Math.Abs(x), y);
        var phase = Math.Atan2(0.0, x) * y;
        return new PyComplex(length * Math.Cos(phase), length * Math.Sin(phase));
    }

    /// <summary>CPython's <c>repr</c>: <c>(a+bj)</c>, or <c>bj</c> when the real part is +0; parts without ".0".</summary>
    public string Repr()
    {
        var imaginary = Part(Imaginary);
        if (Real == 0 && !double.IsNegative(Real)) return imaginary + "j";
        var sign = imaginary.StartsWith('-') ? "" : "+";
        return "(" + Part(Real) + sign + imaginary + "j)";
    }

    private static string Part(double d)
    {
        var r = PyFloat.Repr(d);
        return r.EndsWith(".0", StringComparison.Ordinal) ? r[..^2] : r;
    }

    public bool PyEquals(object? other) => other is PyComplex c && c.Real == Real && c.Imaginary == Imaginary
        || Imaginary == 0 && Py.IsNumber(other) && Py.Equal(Real, other);
}
