using System.Numerics;
using ToolSharp.Environments.Bfcl.Python;

namespace ToolSharp.Environments.Bfcl.Backends;

/// <summary>BFCL's stateless <c>MathAPI</c>: arithmetic, statistics, unit conversions, <c>logarithm</c> (mpmath) and
/// <c>square_root</c> (<c>decimal</c>), with Python's int/float semantics and BFCL's error dicts.</summary>
/// <remarks>
/// <c>square_root</c> returns a <c>Decimal</c> and <c>logarithm</c> an <c>mpf</c>: neither is JSON-serialisable, so
/// BFCL's executor renders those results with <c>str(dict)</c> (<c>{'result': Decimal('1.414')}</c>).
/// <c>sum</c>-based results add floats plainly, as CPython up to 3.11 does (3.12+ compensates; results then differ in
/// the last bits for some inputs).
/// </remarks>
internal sealed class MathApi : BfclApi
{
    private static readonly BfclMethodTable<MathApi> Table = new("MathAPI", table =>
    {
        table.Add("logarithm", [P("value"), P("base"), P("precision")], (s, a) => s.Logarithm(a[0], a[1], a[2]));
        table.Add("mean", [P("numbers")], (s, a) => Mean(a[0]));
        table.Add("standard_deviation", [P("numbers")], (s, a) => StandardDeviation(a[0]));
        table.Add("si_unit_conversion", [P("value"), P("unit_in"), P("unit_out")], (s, a) => SiUnitConversion(a[0], a[1], a[2]));
        table.Add("imperial_si_conversion", [P("value"), P("unit_in"), P("unit_out")], (s, a) => ImperialSiConversion(a[0], a[1], a[2]));
        table.Add("add", [P("a"), P("b")], (s, a) => Catch(() => Result(PyOps.Add(a[0], a[1])), "Both inputs must be numbers"));
        table.Add("subtract", [P("a"), P("b")], (s, a) => Catch(() => Result(PyOps.Sub(a[0], a[1])), "Both inputs must be numbers"));
        table.Add("multiply", [P("a"), P("b")], (s, a) => Multiply(a[0], a[1]));
        table.Add("divide", [P("a"), P("b")], (s, a) => Divide(a[0], a[1]));
        table.Add("power", [P("base"), P("exponent")], (s, a) => Catch(() => Result(PyOps.Pow(a[0], a[1])), "Both inputs must be numbers"));
        table.Add("square_root", [P("number"), P("precision")], (s, a) => SquareRoot(a[0], a[1]));
        table.Add("absolute_value", [P("number")], (s, a) => Catch(() => Result(PyOps.Abs(a[0])), "Input must be a number"));
        table.Add("round_number", [P("number"), P("decimal_places", 0)], (s, a) =>
            Catch(() => Result(PyOps.Round(a[0], a[1], hasNdigits: true)), "First input must be a number, second input must be an integer"));
        table.Add("percentage", [P("part"), P("whole")], (s, a) => Percentage(a[0], a[1]));
        table.Add("min_value", [P("numbers")], (s, a) => Aggregate(a[0], "Cannot find minimum of an empty list", PyOps.Min));
        table.Add("max_value", [P("numbers")], (s, a) => Aggregate(a[0], "Cannot find maximum of an empty list", PyOps.Max));
        table.Add("sum_values", [P("numbers")], (s, a) => Aggregate(a[0], "Cannot calculate sum of an empty list", PyOps.Sum));
    });

    public MathApi(BfclRuntime runtime) : base(runtime)
    {
    }

    public override IReadOnlyDictionary<string, BfclMethod> Methods => Table.Methods;

    public override string ClassName => "MathAPI";

    public override bool Stateless => true;

    public override void LoadScenario(PyDict scenario, bool longContext)
    {
    }

    public override IEnumerable<(string Name, object? Value)> State() => [];

    private static PyDict Result(object? value) => Py.Dict(("result", value));

    private static PyDict Error(string message) => Py.Dict(("error", message));

    /// <summary>Runs <paramref name="body"/>, turning a Python <c>TypeError</c> into BFCL's error dict.</summary>
    private static PyDict Catch(Func<PyDict> body, string typeErrorMessage)
    {
        try
        {
            return body();
        }
        catch (PyException e) when (e.Is("TypeError"))
        {
            return Error(typeErrorMessage);
        }
    }

    private object? Logarithm(object? value, object? @base, object? precision)
    {
        try
        {
            if (Runtime.Options.Logarithm == BfclLogarithm.MathLog)
            {
                return Result(PyOps.TrueDiv(Log(PyOps.Float(value)), Log(PyOps.Float(@base))));
            }
            var dps = PyOps.Int(precision);
            var bits = PyMpf.PrecisionFor(dps);
            if (bits > 100_000) throw new PyException("MemoryError", "");
            return Result(PyMpf.LogRatio(value, @base, bits));
        }
        catch (PyException e)
        {
            return Error(e.Message);
        }
    }

    private static double Log(double x) =>
        double.IsNaN(x) ? x : x > 0 ? Math.Log(x) : throw PyException.ValueError("math domain error");

    private static PyDict Mean(object? numbers)
    {
        if (!Py.Truthy(numbers)) return Error("Cannot calculate mean of an empty list");
        return Catch(() => Result(PyOps.TrueDiv(PyOps.Sum(numbers), Py.Int(Py.LenStrict(numbers)))), "All elements in the list must be numbers");
    }

    private static PyDict StandardDeviation(object? numbers)
    {
        if (!Py.Truthy(numbers)) return Error("Cannot calculate standard deviation of an empty list");
        return Catch(() =>
        {
            var length = Py.Int(Py.LenStrict(numbers));
            var mean = PyOps.TrueDiv(PyOps.Sum(numbers), length);
            object? squares = BigInteger.Zero;
            foreach (var x in Py.Iter(numbers)) squares = PyOps.Add(squares, PyOps.Pow(PyOps.Sub(x, mean), Py.Int(2)));
            var variance = PyOps.TrueDiv(squares, length);
            return Result(Sqrt(variance));
        }, "All elements in the list must be numbers");
    }

    private static double Sqrt(object? x)
    {
        if (!Py.IsNumber(x)) throw PyException.TypeError($"must be real number, not {Py.TypeName(x)}");
        var d = PyOps.ToDouble(x);
        if (d < 0) throw PyException.ValueError("math domain error");
        return Math.Sqrt(d);
    }

    private static readonly (string Unit, object Factor)[] ToMeters =
        [("km", Py.Int(1000)), ("m", Py.Int(1)), ("cm", 0.01), ("mm", 0.001), ("um", 1e-6), ("nm", 1e-9)];

    private static PyDict SiUnitConversion(object? value, object? unitIn, object? unitOut)
    {
        var toMeters = Py.Dict(ToMeters.Select(p => ((object?)p.Unit, (object?)p.Factor)).ToArray());
        var fromMeters = Py.Dict(ToMeters.Select(p => ((object?)p.Unit, PyOps.TrueDiv(Py.Int(1), p.Factor))).ToArray());
        if (!Py.IsNumber(value)) return Error("Value must be a number");
        if (!toMeters.ContainsKey(unitIn) || !fromMeters.ContainsKey(unitOut))
            return Error($"Conversion from '{Py.Str(unitIn)}' to '{Py.Str(unitOut)}' is not supported");
        try
        {
            var meters = PyOps.Mul(value, toMeters[unitIn]);
            return Result(PyOps.Mul(meters, fromMeters[unitOut]));
        }
        catch (PyException e) when (e.Is("OverflowError"))
        {
            return Error("Conversion resulted in a value too large to represent");
        }
    }

    private static readonly (string Key, double Factor)[] Imperial =
    [
        ("cm_to_in", 0.393701), ("in_to_cm", 2.54), ("m_to_ft", 3.28084), ("ft_to_m", 0.3048), ("m_to_yd", 1.09361),
        ("yd_to_m", 0.9144), ("km_to_miles", 0.621371), ("miles_to_km", 1.60934), ("kg_to_lb", 2.20462),
        ("lb_to_kg", 0.453592), ("celsius_to_fahrenheit", 1.8), ("fahrenheit_to_celsius", 5.0 / 9),
    ];

    private static PyDict ImperialSiConversion(object? value, object? unitIn, object? unitOut)
    {
        if (!Py.IsNumber(value)) return Error("Value must be a number");
        if (Py.Equal(unitIn, unitOut)) return Result(value);
        var key = $"{Py.Str(unitIn)}_to_{Py.Str(unitOut)}";
        var factor = Imperial.Where(p => p.Key == key).Select(p => (double?)p.Factor).FirstOrDefault();
        if (factor is null) return Error($"Conversion from '{Py.Str(unitIn)}' to '{Py.Str(unitOut)}' is not supported");
        try
        {
            object? result;
            if (Py.Equal(unitIn, "celsius") && Py.Equal(unitOut, "fahrenheit")) result = PyOps.Add(PyOps.Mul(value, factor.Value), Py.Int(32));
            else if (Py.Equal(unitIn, "fahrenheit") && Py.Equal(unitOut, "celsius")) result = PyOps.Mul(PyOps.Sub(value, Py.Int(32)), factor.Value);
            else result = PyOps.Mul(value, factor.Value);
            return Result(result);
        }
        catch (PyException e) when (e.Is("OverflowError"))
        {
            return Error("Conversion resulted in a value too large to represent");
        }
    }

    private static PyDict Multiply(object? a, object? b)
    {
        if (!Py.IsNumber(a) || !Py.IsNumber(b)) return Error("Both inputs must be numbers");
        return Catch(() => Result(PyOps.Mul(a, b)), "Both inputs must be numbers");
    }

    private static PyDict Divide(object? a, object? b) => Catch(() =>
    {
        if (Py.Equal(b, Py.Int(0))) return Error("Cannot divide by zero");
        return Result(PyOps.TrueDiv(a, b));
    }, "Both inputs must be numbers");

    private static PyDict SquareRoot(object? number, object? precision)
    {
        try
        {
            if (Py.Lt(number, Py.Int(0))) return Error("Cannot calculate square root of a negative number");
            if (!Py.IsIntegral(precision)) throw PyException.TypeError($"'{Py.TypeName(precision)}' object cannot be interpreted as an integer");
            var prec = Py.ToInteger(precision);
            if (prec < 1 || prec > BigInteger.Parse("999999999999999999")) throw PyException.ValueError("valid range for prec is [1, MAX_PREC]");
            if (prec > 100_000) throw new PyException("MemoryError", "");
            return Result(PyDecimal.From(number).Sqrt((int)prec));
        }
        catch (PyException e) when (e.Is("TypeError") || e.Is("InvalidOperation"))
        {
            return Error("Input must be a number or computation resulted in an invalid operation");
        }
    }

    private static PyDict Percentage(object? part, object? whole) => Catch(() =>
    {
        if (Py.Equal(whole, Py.Int(0))) return Error("Whole value cannot be zero");
        return Result(PyOps.Mul(PyOps.TrueDiv(part, whole), Py.Int(100)));
    }, "Both inputs must be numbers");

    private static PyDict Aggregate(object? numbers, string emptyMessage, Func<object?, object?> aggregate)
    {
        if (!Py.Truthy(numbers)) return Error(emptyMessage);
        return Catch(() => Result(aggregate(numbers)), "All elements in the list must be numbers");
    }
}
