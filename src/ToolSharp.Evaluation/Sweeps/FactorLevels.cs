using ToolSharp.Core.Formats;
using ToolSharp.Core.History;

namespace ToolSharp.Evaluation.Sweeps;

/// <summary>The levels of each swept factor, as a sweep file lists them; the first level of each is the baseline.</summary>
public sealed record FactorLevels
{
    public IReadOnlyList<int> Seeds { get; init; } = [0];

    public IReadOnlyList<SystemPrompt> SystemPrompts { get; init; } = [Sweeps.SystemPrompts.Default];

    public IReadOnlyList<string> Templates { get; init; } = ["native"];

    public IReadOnlyList<string> History { get; init; } = ["keep"];

    public IReadOnlyList<string> Formats { get; init; } = ["native"];

    public IReadOnlyList<double> Temperatures { get; init; } = [0.0];

    public IReadOnlyList<double> TopP { get; init; } = [1.0];

    /// <summary>Checks that every level names something that exists (formats, history policies, templates).</summary>
    public void Validate()
    {
        foreach (var t in Templates) MultiTurnConstructions.Parse(t);
        foreach (var h in History) HistoryPolicies.Parse(h);
        foreach (var f in Formats) if (f != "native") ToolCallFormats.Get(f);
    }

    /// <summary>The levels of one factor as text, baseline first.</summary>
    public IReadOnlyList<string> LevelsOf(string factor) => factor switch
    {
        "system_prompt" => SystemPrompts.Select(p => p.Name).ToList(),
        "template" => Templates,
        "history" => History,
        "format" => Formats,
        "temperature" => Temperatures.Select(t => new FactorSetting(Sweeps.SystemPrompts.Default, "", "", "", t, 1).Level("temperature")).ToList(),
        "top_p" => TopP.Select(p => new FactorSetting(Sweeps.SystemPrompts.Default, "", "", "", 0, p).Level("top_p")).ToList(),
        _ => throw new ArgumentOutOfRangeException(nameof(factor), factor, null),
    };
}
