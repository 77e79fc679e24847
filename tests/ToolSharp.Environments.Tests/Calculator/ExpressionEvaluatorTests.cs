using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using ToolSharp.Environments.Calculator;
using ToolSharp.Testing;

namespace ToolSharp.Environments.Tests.Calculator;

public class ExpressionEvaluatorTests
{
    [Theory]
    [InlineData("48/2", "24")]
    [InlineData("0.2*50", "10")]
    [InlineData("(4821+377)*12-950", "61426")]
    [InlineData("1 + 2 * 3", "7")]
    [InlineData("(1 + 2) * 3", "9")]
    [InlineData("10 - 4 - 3", "3")]
    [InlineData("100 / 10 / 5", "2")]
    [InlineData("2^3^2", "512")]
    [InlineData("2**10", "1024")]
    [InlineData("-2^2", "-4")]
    [InlineData("(-2)^2", "4")]
    [InlineData("2^-2", "0.25")]
    [InlineData("--3", "3")]
    [InlineData("10/3", "3.3333333333")]
    [InlineData("0.1+0.2", "0.3")]
    [InlineData("1,000 + 1", "1001")]
    [InlineData("12 × 3 ÷ 4 − 1", "8")]
    [InlineData("12 x 3", "36")]
    [InlineData("1.5e3", "1500")]
    [InlineData("  7  ", "7")]
    [InlineData("2^0.5", "1.41421356237")]
    [InlineData("1/3*3", "1")]
    [InlineData("7//2", "3")]
    [InlineData("-7//2", "-4")]
    [InlineData("560//10", "56")]
    public void Evaluates(string expression, string expected)
    {
        ExpressionEvaluator.Evaluate(expression).ToString().ShouldBe(expected);
    }

    [Fact]
    public void Results_stay_exact_until_a_fractional_power()
    {
        ExpressionEvaluator.Evaluate("1/3").IsExact.ShouldBeTrue();
        ExpressionEvaluator.Evaluate("4^0.5").IsExact.ShouldBeFalse();
    }

    [Theory]
    [InlineData("", "empty expression")]
    [InlineData("1 +", "expected a number")]
    [InlineData("(1 + 2", "missing ')'")]
    [InlineData("1 / 0", "division by zero")]
    [InlineData("1 / (2 - 2)", "division by zero")]
    [InlineData("2 3", "unexpected '3'")]
    [InlineData("2(3)", "write '*' to multiply")]
    [InlineData("import os", "unknown name 'import'")]
    [InlineData("9^99999", "result too large")]
    [InlineData("2^1000000", "exponent too large")]
    [InlineData("(-8)^(1/3)", "not a real number")]
    [InlineData("1 ; 2", "unexpected ';'")]
    public void Reports_what_is_wrong(string expression, string message)
    {
        var ex = Should.Throw<CalculatorException>(() => ExpressionEvaluator.Evaluate(expression));
        ex.Message.ShouldContain(message);
    }

    [Fact]
    public void Refuses_deep_nesting_and_long_input_cheaply()
    {
        Should.Throw<CalculatorException>(() => ExpressionEvaluator.Evaluate(new string('(', 300) + "1" + new string(')', 300)))
            .Message.ShouldContain("nested too deeply");
        Should.Throw<CalculatorException>(() => ExpressionEvaluator.Evaluate(new string('-', 200) + "1"))
            .Message.ShouldContain("nested too deeply");
        Should.Throw<CalculatorException>(() => ExpressionEvaluator.Evaluate(string.Join("+", Enumerable.Repeat("1", 600))))
            .Message.ShouldContain("too long");
    }

    [Fact]
    public void Resolves_variables()
    {
        var vars = new Dictionary<string, Rational> { ["x"] = 5198, ["total_2"] = new Rational(1, 2) };
        ExpressionEvaluator.Evaluate("x*12 + total_2*2", vars).ToString().ShouldBe("62377");
        Should.Throw<CalculatorException>(() => ExpressionEvaluator.Evaluate("y+1", vars)).Message.ShouldContain("known: total_2, x");
    }

    [Fact]
    public void Agrees_with_big_integer_arithmetic_on_random_expressions()
    {
        // Random trees of + - * over integers, printed fully parenthesised, must evaluate to the BigInteger result.
        Gen<(string Text, BigInteger Value)> Tree(int depth) => depth == 0
            ? Gen.Choose(0, 99999).Select(n => (n.ToString(), (BigInteger)n))
            : Gen.OneOf(
                Tree(0),
                from a in Tree(depth - 1)
                from b in Tree(depth - 1)
                from op in Gen.Elements('+', '-', '*')
                select ($"({a.Text}{op}{b.Text})", op switch { '+' => a.Value + b.Value, '-' => a.Value - b.Value, _ => a.Value * b.Value }));
        PropertyCheck.Run(Prop.ForAll(Tree(4).ToArbitrary(), t =>
            ExpressionEvaluator.Evaluate(t.Text).Exact == new Rational(t.Value, 1)));
    }
}
