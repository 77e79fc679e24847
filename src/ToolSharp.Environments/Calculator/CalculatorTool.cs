using System.Text.Json;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Environments.Calculator;

/// <summary>The <c>calculator(expression)</c> tool: exact arithmetic; the result is just the number, to keep tool turns short.</summary>
public static class CalculatorTool
{
    public const string Name = "calculator";

    public static readonly ToolSpec Spec = new(
        Name,
        "Evaluate an arithmetic expression exactly and return the number. Supports + - * / ^, parentheses and decimals, e.g. (4821+377)*12.",
        JsonValues.Parse("""{"type":"object","properties":{"expression":{"type":"string","description":"The expression, e.g. 48/2+7"}},"required":["expression"]}"""));

    /// <summary>A call of this tool with <paramref name="expression"/>, as demonstrations write it.</summary>
    public static ToolCall Call(string expression, string id) => new(Name, JsonValues.Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("expression", expression);
        w.WriteEndObject();
    }), id);

    /// <summary>The plain calculator.</summary>
    public static ITool Create() => new DelegateTool(Spec, args => Run(args, null));

    /// <summary>A calculator that also resolves names (e.g. values saved in an episode's memory) when it evaluates.</summary>
    public static ITool Create(Func<IReadOnlyDictionary<string, Rational>> variables, string description) =>
        new DelegateTool(new ToolSpec(Name, description, Spec.Parameters), args => Run(args, variables()));

    /// <summary>What the tool returns for <paramref name="expression"/>: the formatted value, or a <see cref="ToolInvocationException"/>.</summary>
    public static string Evaluate(string expression, IReadOnlyDictionary<string, Rational>? variables = null)
    {
        try { return ExpressionEvaluator.Evaluate(expression, variables).ToString(); }
        catch (CalculatorException ex) { throw new ToolInvocationException(ex.Message); }
    }

    private static string Run(JsonElement args, IReadOnlyDictionary<string, Rational>? variables) =>
        Evaluate(args.GetProperty("expression").GetString()!, variables);
}
