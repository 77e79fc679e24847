using System.Globalization;

namespace ToolSharp.Evaluation.Sweeps;

/// <summary>One choice of every swept factor except the model, environment and seed.</summary>
/// <param name="SystemPrompt">Named system prompt.</param>
/// <param name="Template">Multi-turn construction: <c>native</c> or <c>packed</c>.</param>
/// <param name="History">History policy spec (<c>keep</c>, <c>drop-reasoning</c>, <c>window:K</c>, <c>truncate:N</c>, …).</param>
/// <param name="Format"><c>native</c> (the tool API) or a prompt-mode tool-call format name.</param>
/// <param name="Temperature">Sampling temperature.</param>
/// <param name="TopP">Nucleus mass.</param>
public sealed record FactorSetting(SystemPrompt SystemPrompt, string Template, string History, string Format, double Temperature, double TopP)
{
    /// <summary>The factor names, in the order tables and the variance decomposition list them.</summary>
    public static IReadOnlyList<string> FactorNames { get; } = ["system_prompt", "template", "history", "format", "temperature", "top_p"];

    /// <summary>The level of a factor as text.</summary>
    public string Level(string factor) => factor switch
    {
        "system_prompt" => SystemPrompt.Name,
        "template" => Template,
        "history" => History,
        "format" => Format,
        "temperature" => Temperature.ToString("0.###", CultureInfo.InvariantCulture),
        "top_p" => TopP.ToString("0.###", CultureInfo.InvariantCulture),
        _ => throw new ArgumentOutOfRangeException(nameof(factor), factor, null),
    };

    /// <summary>A short label such as <c>default|native|keep|native|t=0|p=1</c>.</summary>
    public string Label => $"{SystemPrompt.Name}|{Template}|{History}|{Format}|t={Level("temperature")}|p={Level("top_p")}";
}
