using System.Globalization;
using ToolSharp.Core.Formats;
using ToolSharp.Core.Hashing;
using ToolSharp.Core.History;

namespace ToolSharp.Evaluation.Sweeps;

/// <summary>The swept factors besides model, environment and seed, in the order tables, the store and the variance
/// decomposition list them — the one place a factor is declared.</summary>
/// <remarks>
/// Adding a factor: a property in <see cref="FactorLevels"/> (its sweep-file list, baseline default), a parameter of
/// <see cref="FactorSetting"/>, an entry here, and its use in <see cref="SweepConfiguration.AgentSettings"/>. Designs,
/// hashes, the manifest, the results store, exports and reports need no change. A factor appended to <see cref="All"/>
/// enters every configuration hash, so earlier results are not resumed into a sweep that has it.
/// </remarks>
public static class SweepFactors
{
    public static readonly SweepFactor<SystemPrompt> SystemPrompt = new("system_prompt", "system_prompts",
        l => l.SystemPrompts, (l, v) => l with { SystemPrompts = v }, s => s.SystemPrompt, (s, v) => s with { SystemPrompt = v }, p => p.Name)
    {
        // The text, not the name, changes what the model sees: the hash records the resolved prompt.
        Hash = (w, _, instructions) => w.WriteString("system_prompt", StableHash.Of(instructions)),
        Expected = $"a built-in prompt ({SystemPrompts.Names}) or {{name, text}} / {{name, file}}",
    };

    public static readonly SweepFactor<string> Template = new("template", "templates",
        l => l.Templates, (l, v) => l with { Templates = v }, s => s.Template, (s, v) => s with { Template = v }, t => t)
    {
        Check = t => MultiTurnConstructions.Parse(t).ToName(),
        Expected = "native or packed",
    };

    public static readonly SweepFactor<string> History = new("history", "history",
        l => l.History, (l, v) => l with { History = v }, s => s.History, (s, v) => s with { History = v }, h => h)
    {
        Check = h => HistoryPolicies.Parse(h).Name,
        Expected = HistoryPolicies.Syntax,
    };

    public static readonly SweepFactor<string> Format = new("format", "formats",
        l => l.Formats, (l, v) => l with { Formats = v }, s => s.Format, (s, v) => s with { Format = v }, f => f)
    {
        Check = f => f == "native" ? f : ToolCallFormats.Get(f).Name,
        Expected = "native or a format: " + string.Join(", ", ToolCallFormats.Names),
    };

    public static readonly SweepFactor<double> Temperature = new("temperature", "temperatures",
        l => l.Temperatures, (l, v) => l with { Temperatures = v }, s => s.Temperature, (s, v) => s with { Temperature = v }, Number)
    {
        Check = t => t >= 0 && double.IsFinite(t) ? t : throw new Core.Errors.ToolSharpException("negative"),
        Expected = "a temperature ≥ 0",
        LabelKey = "t",
        Hash = (w, t, _) => w.WriteNumber("temperature", t),
    };

    public static readonly SweepFactor<double> TopP = new("top_p", "top_p",
        l => l.TopP, (l, v) => l with { TopP = v }, s => s.TopP, (s, v) => s with { TopP = v }, Number)
    {
        Check = p => p is > 0 and <= 1 ? p : throw new Core.Errors.ToolSharpException("out of range"),
        Expected = "a nucleus mass in (0, 1]",
        LabelKey = "p",
        Hash = (w, p, _) => w.WriteNumber("top_p", p),
    };

    public static IReadOnlyList<ISweepFactor> All { get; } = [SystemPrompt, Template, History, Format, Temperature, TopP];

    public static IReadOnlyList<string> Names { get; } = All.Select(f => f.Name).ToList();

    public static ISweepFactor Get(string name) =>
        All.FirstOrDefault(f => f.Name == name) ?? throw new ArgumentOutOfRangeException(nameof(name), name, "known: " + string.Join(", ", Names));

    /// <summary>A number level as text: up to three decimals, invariant culture.</summary>
    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
