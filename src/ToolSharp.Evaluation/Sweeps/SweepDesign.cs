using ToolSharp.Core.Errors;
using ToolSharp.Core.Randomness;

namespace ToolSharp.Evaluation.Sweeps;

/// <summary>A design over the factor levels: full, one-factor-at-a-time around the baseline, random with a budget, or a
/// fractional factorial in which every main effect (and its interaction with the model) is estimable.</summary>
/// <remarks>The design picks factor settings only; every model and environment is crossed with the same settings, so
/// models are always compared under identical conditions (needed for paired statistics and ranking stability).</remarks>
public sealed record SweepDesign(DesignKind Kind = DesignKind.Full, int? Budget = null, ulong Seed = 0)
{
    public static DesignKind ParseKind(string name) => name switch
    {
        "full" => DesignKind.Full,
        "ofat" or "one-factor-at-a-time" => DesignKind.OneFactorAtATime,
        "random" => DesignKind.Random,
        "fractional" => DesignKind.Fractional,
        _ => throw new ToolSharpException($"unknown design '{name}' (expected full, ofat, random or fractional)"),
    };

    public static string Name(DesignKind kind) => kind switch
    {
        DesignKind.Full => "full",
        DesignKind.OneFactorAtATime => "ofat",
        DesignKind.Fractional => "fractional",
        _ => "random",
    };

    public IReadOnlyList<FactorSetting> Expand(FactorLevels levels)
    {
        var baseline = FactorSetting.Baseline(levels);
        // Every combination, the first factor outermost (the order a random subset is drawn from).
        var full = SweepFactors.All.Aggregate((IEnumerable<FactorSetting>)[baseline], (settings, f) => settings.SelectMany(s => f.Vary(s, levels))).ToList();
        switch (Kind)
        {
            case DesignKind.Full:
                return full;
            case DesignKind.OneFactorAtATime:
                return [baseline, .. SweepFactors.All.SelectMany(f => f.Vary(baseline, levels).Skip(1))];
            case DesignKind.Fractional:
            {
                // Only factors with more than one level enter the model; the full design's first row is the baseline.
                var varied = SweepFactors.All.Select(f => (Factor: f, Levels: f.LevelNames(levels))).Where(x => x.Levels.Count > 1).ToList();
                var counts = varied.Select(x => x.Levels.Count).ToList();
                var rows = full.Select(s => varied.Select(x => IndexOf(x.Levels, x.Factor.LevelName(s))).ToArray()).ToList();
                var budget = Budget ?? FractionalDesign.DefaultBudget(counts);
                return FractionalDesign.Select(rows, counts, budget, Seed).Select(i => full[i]).ToList();
            }
            default:
            {
                var budget = Budget ?? throw new ToolSharpException("design 'random' needs a budget (the number of factor settings to run)");
                if (budget < 1) throw new ToolSharpException($"design budget must be at least 1, found {budget}");
                if (budget >= full.Count) return full;
                // Partial Fisher–Yates with a seeded generator: the same seed picks the same subset, in design order.
                var rng = new SeededRandom(Seed);
                var index = Enumerable.Range(0, full.Count).ToArray();
                for (var i = 0; i < budget; i++)
                {
                    var j = i + rng.Next(full.Count - i);
                    (index[i], index[j]) = (index[j], index[i]);
                }
                return index.Take(budget).Order().Select(i => full[i]).ToList();
            }
        }
    }

    private static int IndexOf(IReadOnlyList<string> levels, string level)
    {
        for (var i = 0; i < levels.Count; i++) if (levels[i] == level) return i;
        throw new InvalidOperationException($"level '{level}' is not among {string.Join(", ", levels)}");
    }
}
