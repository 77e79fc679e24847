using System.Globalization;
using System.Text;
using ToolSharp.Core.Randomness;

namespace ToolSharp.Environments.Arith;

/// <summary>Generates arith problems from a seeded generator: pure and deterministic, every problem regenerable from its seed.</summary>
/// <remarks>
/// The running value stays a positive whole number: a subtraction takes away less than there is, a division uses a
/// two-digit divisor of the current value (if there is none the step multiplies instead), and a multiplication that
/// would pass <see cref="MaxValue"/> adds instead.
/// </remarks>
public static class ArithGenerator
{
    /// <summary>Largest running value a problem may reach.</summary>
    public const long MaxValue = 1_000_000_000_000;

    /// <summary>A problem with <paramref name="level"/> operations and operands of the given digit range.</summary>
    public static ArithProblem Generate(SeededRandom rng, int level, (int Min, int Max) digits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        var value = Operand(rng, digits);
        var start = value;
        var steps = new List<ArithStep>(level);
        for (var i = 0; i < level; i++)
        {
            var op = (ArithOperation)rng.Next(4);
            var step = MakeStep(rng, op, value, digits);
            value = Apply(value, step);
            steps.Add(step);
        }

        var frameIndex = rng.Next(ArithTemplates.Frames.Count + 1);
        var name = rng.Pick(ArithTemplates.Names);
        var problem = new ArithProblem(start, steps, "", "", value);
        if (frameIndex == ArithTemplates.Frames.Count)
            return problem with { Text = $"Calculate {problem.Expression(spaced: true)}.", Template = ArithTemplates.ExpressionFrame };

        var frame = ArithTemplates.Frames[frameIndex];
        var text = new StringBuilder(Fill(frame.Opening, start, name));
        foreach (var step in steps) text.Append(' ').Append(Fill(frame.For(step.Operation), step.Operand, name));
        text.Append(' ').Append(Fill(frame.Question, 0, name));
        return problem with { Text = text.ToString(), Template = frame.Name };
    }

    /// <summary>The running value after <paramref name="step"/>.</summary>
    public static long Apply(long value, ArithStep step) => step.Operation switch
    {
        ArithOperation.Add => value + step.Operand,
        ArithOperation.Subtract => value - step.Operand,
        ArithOperation.Multiply => value * step.Operand,
        _ => value / step.Operand,
    };

    /// <summary>A step of the requested kind that keeps the value a positive whole number, or a substitute that does.</summary>
    public static ArithStep MakeStep(SeededRandom rng, ArithOperation op, long value, (int Min, int Max) digits)
    {
        switch (op)
        {
            case ArithOperation.Subtract:
            {
                var b = Operand(rng, digits);
                if (b < value) return new ArithStep(op, b);
                if (value > 10) return new ArithStep(op, rng.Between(Math.Max(1, value / 10), value - 1));
                return new ArithStep(ArithOperation.Add, b);
            }
            case ArithOperation.Multiply:
            {
                var b = Multiplier(rng);
                return value <= MaxValue / b ? new ArithStep(op, b) : new ArithStep(ArithOperation.Add, Operand(rng, digits));
            }
            case ArithOperation.Divide:
            {
                var divisors = Enumerable.Range(11, 89).Where(d => d % 10 != 0 && value % d == 0 && value / d > 1).ToList();
                return divisors.Count > 0 ? new ArithStep(op, rng.Pick(divisors)) : MakeStep(rng, ArithOperation.Multiply, value, digits);
            }
            default:
                return new ArithStep(ArithOperation.Add, Operand(rng, digits));
        }
    }

    private static long Operand(SeededRandom rng, (int Min, int Max) digits)
    {
        var d = (int)rng.Between(digits.Min, digits.Max);
        var low = (long)Math.Pow(10, d - 1);
        return rng.Between(Math.Max(low, 2), low * 10 - 1);
    }

    // Two digits, never a multiple of ten: 40 × 7 is easy in the head, 37 × 4821 is not.
    private static long Multiplier(SeededRandom rng)
    {
        long b;
        do b = rng.Between(11, 99); while (b % 10 == 0);
        return b;
    }

    private static string Fill(string template, long number, string name) =>
        template.Replace("{a}", number.ToString(CultureInfo.InvariantCulture)).Replace("{n}", name);
}
