using System.Globalization;
using System.Text;

namespace ToolSharp.Environments.Arith;

/// <summary>A generated problem: a start value and steps applied left to right, its English text and its exact answer.</summary>
/// <param name="Start">The first number.</param>
/// <param name="Steps">The operations, applied in order to the running value.</param>
/// <param name="Text">The question as the user asks it.</param>
/// <param name="Template">Which phrasing template produced the text.</param>
/// <param name="Answer">The exact result (always a whole number: divisions are chosen to divide evenly).</param>
public sealed record ArithProblem(long Start, IReadOnlyList<ArithStep> Steps, string Text, string Template, long Answer)
{
    public int Level => Steps.Count;

    /// <summary>
    /// The whole computation as one calculator expression with the fewest parentheses that keep left-to-right order,
    /// e.g. <c>(4821+377)*12-950</c>.
    /// </summary>
    public string Expression(bool spaced = false)
    {
        var sb = new StringBuilder(Start.ToString(CultureInfo.InvariantCulture));
        var topLevelSum = false; // whether the expression so far ends in a + or - outside parentheses
        foreach (var step in Steps)
        {
            var isProduct = step.Operation is ArithOperation.Multiply or ArithOperation.Divide;
            if (isProduct && topLevelSum)
            {
                sb.Insert(0, '(').Append(')');
                topLevelSum = false;
            }
            sb.Append(spaced ? $" {step.Symbol} " : step.Symbol.ToString()).Append(step.Operand.ToString(CultureInfo.InvariantCulture));
            if (!isProduct) topLevelSum = true;
        }
        return sb.ToString();
    }
}
