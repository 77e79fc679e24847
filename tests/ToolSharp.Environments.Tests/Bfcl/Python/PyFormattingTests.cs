using System.Numerics;
using ToolSharp.Environments.Bfcl.Python;

namespace ToolSharp.Environments.Tests.Bfcl.Python;

/// <summary>Python's repr, json.dumps, round and fixed-point formatting, against values recorded from CPython 3.11.</summary>
public class PyFormattingTests
{
    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(123456789012345678.0, "1.2345678901234568e+17")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1.5e-7, "1.5e-07")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(1.0 / 3, "0.3333333333333333")]
    [InlineData(100.0, "100.0")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(double.PositiveInfinity, "inf")]
    public void Float_repr_is_cpython_repr(double value, string expected) => PyFloat.Repr(value).ShouldBe(expected);

    [Fact]
    public void Json_dumps_escapes_like_ensure_ascii_and_turns_keys_into_strings()
    {
        // {1: 2.5, True: None}: True is the key 1, so it keeps 1 and takes None.
        var d = Py.Dict(("a", "é\u2028\x7f\n\t\"\\😀"), (1, 2.5), (true, null), ("l", Py.List(1e16, double.NaN, double.PositiveInfinity)));
        PyJson.Dumps(d).ShouldBe("{\"a\": \"\\u00e9\\u2028\\u007f\\n\\t\\\"\\\\\\ud83d\\ude00\", \"1\": null, \"l\": [1e+16, NaN, Infinity]}");
        Should.Throw<PyException>(() => PyJson.Dumps(Py.Dict(("s", new PySet([Py.Int(1)]))))).Message.ShouldBe("Object of type set is not JSON serializable");
    }

    [Fact]
    public void Str_repr_picks_quotes_and_escapes_like_cpython()
    {
        PyStr.Repr("a'b").ShouldBe("\"a'b\"");
        PyStr.Repr("a'b\"c").ShouldBe("'a\\'b\"c'");
        PyStr.Repr("\0\u200b😀é\ud800").ShouldBe("'\\x00\\u200b😀é\\ud800'");
        Py.Repr(Py.Dict(("k", Py.List(1, 2.0, true, null, new PyTuple(["t"]))))).ShouldBe("{'k': [1, 2.0, True, None, ('t',)]}");
    }

    [Fact]
    public void Round_and_fixed_formatting_use_the_exact_binary_value_and_ties_to_even()
    {
        PyFloat.Round(2.675, 2).ShouldBe(2.67);
        PyFloat.Round(0.125, 2).ShouldBe(0.12);
        PyOps.Round(2.5, null, hasNdigits: false).ShouldBe(new BigInteger(2));
        PyOps.Round(3.5, null, hasNdigits: false).ShouldBe(new BigInteger(4));
        PyOps.Round(-2.5, null, hasNdigits: false).ShouldBe(new BigInteger(-2));
        PyOps.Round(1234.5678, Py.Int(-2), hasNdigits: true).ShouldBe(1200.0);
        PyOps.Round(Py.Int(15), Py.Int(-1), hasNdigits: true).ShouldBe(new BigInteger(20));
        PyOps.Round(Py.Int(25), Py.Int(-1), hasNdigits: true).ShouldBe(new BigInteger(20));
        PyOps.FormatFixed(0.125, 2).ShouldBe("0.12");
        PyOps.FormatFixed(2.675, 2).ShouldBe("2.67");
        PyOps.FormatFixed(1e20, 2).ShouldBe("100000000000000000000.00");
        PyOps.FormatFixed(Py.Int(10000), 2).ShouldBe("10000.00");
    }

    [Fact]
    public void Decimal_square_roots_round_to_the_context_precision_with_ideal_exponents()
    {
        PyDecimal.From(Py.Int(2)).Sqrt(5).Repr().ShouldBe("Decimal('1.4142')");
        PyDecimal.From(Py.Int(16)).Sqrt(5).Repr().ShouldBe("Decimal('4')");
        PyDecimal.From(0.01).Sqrt(5).Repr().ShouldBe("Decimal('0.10000')");
        PyDecimal.From(1e20).Sqrt(5).Repr().ShouldBe("Decimal('1.0000E+10')");
        PyDecimal.From(1e10).Sqrt(2).Repr().ShouldBe("Decimal('1.0E+5')");
        PyDecimal.From(6.25).Sqrt(2).Repr().ShouldBe("Decimal('2.5')");
        PyDecimal.From(99.9).Sqrt(2).Repr().ShouldBe("Decimal('10')");
    }

    [Theory]
    // mpmath 1.2.1: repr(mpmath.log(value) / mpmath.log(base)) at mp.dps = dps.
    [InlineData(20, 10, 1, "mpf('1.297')")]
    [InlineData(20, 10, 2, "mpf('1.3027')")]
    [InlineData(20, 10, 4, "mpf('1.301025')")]
    [InlineData(20, 10, 10, "mpf('1.301029995666')")]
    [InlineData(20, 10, 15, "mpf('1.301029995663981')")]
    [InlineData(20, 10, 20, "mpf('1.3010299956639811952121')")]
    [InlineData(3287.0, 6.0, 4, "mpf('4.51947')")]
    [InlineData(3287.0, 6.0, 15, "mpf('4.5194294841109279')")]
    [InlineData(0.001, 7, 5, "mpf('-3.5498848')")]
    [InlineData(-5, 3, 10, "mpc(real='1.46497352072', imag='2.859600867378')")]
    [InlineData(-5, 3, 20, "mpc(real='1.4649735207179271671961', imag='2.8596008673801272696484')")]
    public void Mpmath_logarithms_render_as_mpmath_renders_them(double value, double @base, int dps, string expected)
    {
        object? Number(double x) => Math.Floor(x) == x && Math.Abs(x) < 1e6 && x != 3287.0 && x != 6.0 ? Py.Int((long)x) : x;
        PyMpf.LogRatio(Number(value), Number(@base), PyMpf.PrecisionFor(dps)).Repr().ShouldBe(expected);
    }
}
