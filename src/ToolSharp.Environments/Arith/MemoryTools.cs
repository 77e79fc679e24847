using System.Text.Json;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Calculator;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Environments.Arith;

/// <summary>The tools of <c>arith-memory</c>, bound to one episode's <see cref="MemoryState"/>: a calculator that reads saved names, <c>save</c> and <c>recall</c>.</summary>
public static class MemoryTools
{
    public static readonly ToolSpec SaveSpec = new("save",
        "Save a number under a name (letters, digits, _) so later turns can use it. Overwrites an existing name.",
        JsonValues.Parse("""{"type":"object","properties":{"name":{"type":"string","pattern":"^[A-Za-z][A-Za-z0-9_]{0,31}$"},"value":{"type":"number"}},"required":["name","value"]}"""));

    public static readonly ToolSpec RecallSpec = new("recall",
        "Return the number saved under a name.",
        JsonValues.Parse("""{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}"""));

    public const string CalculatorDescription =
        "Evaluate an arithmetic expression exactly and return the number. Supports + - * / ^, parentheses, decimals and saved names, e.g. x*12+7.";

    public static IReadOnlyList<ToolSpec> Specs { get; } =
        [new ToolSpec(CalculatorTool.Name, CalculatorDescription, CalculatorTool.Spec.Parameters), SaveSpec, RecallSpec];

    public static ToolRegistry Create(MemoryState state) => new(
    [
        CalculatorTool.Create(() => state.Values, CalculatorDescription),
        new DelegateTool(SaveSpec, args => Save(state, args)),
        new DelegateTool(RecallSpec, args => Recall(state, args)),
    ]);

    private static string Save(MemoryState state, JsonElement args)
    {
        var name = args.GetProperty("name").GetString()!;
        var raw = args.GetProperty("value").GetRawText();
        if (!Rational.TryParse(raw, out var value)) throw new ToolInvocationException($"value {raw} is not a number the memory can hold exactly");
        state.Save(name, value);
        return $"saved {name} = {value.ToDecimalString(10)}";
    }

    private static string Recall(MemoryState state, JsonElement args)
    {
        var name = args.GetProperty("name").GetString()!;
        if (state.TryGet(name, out var value)) return value.ToDecimalString(10);
        var known = state.Values.Count == 0 ? "nothing is saved yet" : "saved: " + string.Join(", ", state.Values.Keys.Order(StringComparer.Ordinal));
        throw new ToolInvocationException($"nothing saved under '{name}' ({known})");
    }
}
