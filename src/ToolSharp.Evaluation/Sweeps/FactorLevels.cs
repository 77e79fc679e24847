namespace ToolSharp.Evaluation.Sweeps;

/// <summary>The levels of each swept factor, as a sweep file lists them (the YAML key of each list is its property
/// name in snake_case); the first level of each is the baseline.</summary>
public sealed record FactorLevels
{
    public IReadOnlyList<int> Seeds { get; init; } = [0];

    public IReadOnlyList<SystemPrompt> SystemPrompts { get; init; } = [FactorSetting.Default.SystemPrompt];

    public IReadOnlyList<string> Templates { get; init; } = [FactorSetting.Default.Template];

    public IReadOnlyList<string> History { get; init; } = [FactorSetting.Default.History];

    public IReadOnlyList<string> Formats { get; init; } = [FactorSetting.Default.Format];

    public IReadOnlyList<double> Temperatures { get; init; } = [FactorSetting.Default.Temperature];

    public IReadOnlyList<double> TopP { get; init; } = [FactorSetting.Default.TopP];

    /// <summary>The levels with every one checked (it names something that exists, is listed once) and in canonical form.</summary>
    /// <exception cref="FactorLevelException">The first level that cannot be used.</exception>
    public FactorLevels Canonical()
    {
        if (Seeds.Count == 0) throw new FactorLevelException(null, "seeds", null, "at least one seed", "an empty list");
        for (var i = 1; i < Seeds.Count; i++)
            if (Seeds.Take(i).Contains(Seeds[i])) throw new FactorLevelException(null, "seeds", i, "each seed once", $"'{Seeds[i]}' again");
        return SweepFactors.All.Aggregate(this, (levels, factor) => factor.Canonical(levels));
    }

    /// <summary>Checks that every level names something that exists and is listed once.</summary>
    public void Validate() => Canonical();

    /// <summary>The levels of one factor as text, baseline first.</summary>
    public IReadOnlyList<string> LevelsOf(string factor) => SweepFactors.Get(factor).LevelNames(this);
}
