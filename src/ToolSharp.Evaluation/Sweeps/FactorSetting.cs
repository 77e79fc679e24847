namespace ToolSharp.Evaluation.Sweeps;

/// <summary>One choice of every swept factor except the model, environment and seed (see <see cref="SweepFactors"/>).</summary>
/// <param name="SystemPrompt">Named system prompt.</param>
/// <param name="Template">Multi-turn construction: <c>native</c> or <c>packed</c>.</param>
/// <param name="History">History policy spec (<c>keep</c>, <c>drop-reasoning</c>, <c>window:K</c>, <c>truncate:N</c>, …).</param>
/// <param name="Format"><c>native</c> (the tool API) or a prompt-mode tool-call format name.</param>
/// <param name="Temperature">Sampling temperature.</param>
/// <param name="TopP">Nucleus mass.</param>
public sealed record FactorSetting(SystemPrompt SystemPrompt, string Template, string History, string Format, double Temperature, double TopP)
{
    /// <summary>The defaults a sweep gets for a factor it does not list.</summary>
    public static FactorSetting Default { get; } = new(SystemPrompts.Default, "native", "keep", "native", 0.0, 1.0);

    /// <summary>The factor names, in the order tables and the variance decomposition list them.</summary>
    public static IReadOnlyList<string> FactorNames => SweepFactors.Names;

    /// <summary>The setting with every factor at its first (baseline) level.</summary>
    public static FactorSetting Baseline(FactorLevels levels) =>
        SweepFactors.All.Aggregate(Default, (setting, factor) => factor.Vary(setting, levels).First());

    /// <summary>The level of a factor as text.</summary>
    public string Level(string factor) => SweepFactors.Get(factor).LevelName(this);

    /// <summary>A short label such as <c>default|native|keep|native|t=0|p=1</c>.</summary>
    public string Label => string.Join("|", SweepFactors.All.Select(f => f.LabelPart(this)));
}
