using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using ToolSharp.Environments.Calculator;
using ToolSharp.Testing;

namespace ToolSharp.Environments.Tests.Calculator;

public class RationalTests
{
    [Theory]
    [InlineData("0.1", 1, 10)]
    [InlineData("-12", -12, 1)]
    [InlineData("3.250", 13, 4)]
    [InlineData(".5", 1, 2)]
    [InlineData("1e3", 1000, 1)]
    [InlineData("2.5E-2", 1, 40)]
    public void Parses_decimal_text_exactly(string text, long numerator, long denominator)
    {
        Rational.Parse(text).ShouldBe(new Rational(numerator, denominator));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("1.2.3")]
    [InlineData("12a")]
    [InlineData("1e")]
    public void Rejects_non_numbers(string text)
    {
        Rational.TryParse(text, out _).ShouldBeFalse();
    }

    [Fact]
    public void Decimal_arithmetic_is_exact()
    {
        (Rational.Parse("0.1") + Rational.Parse("0.2")).ShouldBe(Rational.Parse("0.3"));
    }

    [Theory]
    [InlineData(10, 3, "3.3333333333")]
    [InlineData(2, 3, "0.6666666667")]
    [InlineData(-1, 8, "-0.125")]
    [InlineData(72, 1, "72")]
    [InlineData(-1, 30000000000, "0")]
    public void Formats_with_at_most_ten_decimals(long n, long d, string expected)
    {
        new Rational(n, d).ToDecimalString(10).ShouldBe(expected);
    }

    [Fact]
    public void Default_value_is_zero_not_an_invalid_fraction()
    {
        default(Rational).ShouldBe(Rational.Zero);
        default(Rational).Denominator.ShouldBe(BigInteger.One);
        (default(Rational) + 1).ShouldBe(Rational.One);
    }

    [Fact]
    public void Division_by_zero_throws()
    {
        Should.Throw<DivideByZeroException>(() => Rational.One / Rational.Zero);
        Should.Throw<DivideByZeroException>(() => Rational.Zero.Pow(-1));
    }

    [Fact]
    public void Field_laws_hold_on_random_fractions()
    {
        var fraction = (from n in Gen.Choose(-1000, 1000) from d in Gen.Choose(1, 50) select new Rational(n, d)).ToArbitrary();
        PropertyCheck.Run(Prop.ForAll(fraction, fraction, fraction, (a, b, c) =>
            a + b == b + a && (a + b) + c == a + (b + c) && a * (b + c) == a * b + a * c &&
            (b.Sign == 0 || (a / b) * b == a) && Rational.Parse(a.ToDecimalString(40)) == a == a.HasFiniteDecimal));
    }
}
