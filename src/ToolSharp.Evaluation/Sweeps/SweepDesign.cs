using ToolSharp.Core.Errors;
using ToolSharp.Core.Randomness;

namespace ToolSharp.Evaluation.Sweeps;

/// <summary>A design over the factor levels: full, one-factor-at-a-time around the baseline, or random with a budget.</summary>
/// <remarks>The design picks factor settings only; every model and environment is crossed with the same settings, so
/// models are always compared under identical conditions (needed for paired statistics and ranking stability).</remarks>
public sealed record SweepDesign(DesignKind Kind = DesignKind.Full, int? Budget = null, ulong Seed = 0)
{
    public static DesignKind ParseKind(string name) => name switch
    {
        "full" => DesignKind.Full,
        "ofat" or "one-factor-at-a-time" => DesignKind.OneFactorAtATime,
        "random" => DesignKind.Random,
        _ => throw new ToolSharpException($"unknown design '{name}' (expected full, ofat or random)"),
    };

    public static string Name(DesignKind kind) => kind switch
    {
        DesignKind.Full => "full",
        DesignKind.OneFactorAtATime => "ofat",
        _ => "random",
    };

    public IReadOnlyList<FactorSetting> Expand(FactorLevels levels)
    {
        var full = Cartesian(levels);
        switch (Kind)
        {
            case DesignKind.Full:
                return full;
            case DesignKind.OneFactorAtATime:
            {
                var baseline = full[0];
                var settings = new List<FactorSetting> { baseline };
                settings.AddRange(levels.SystemPrompts.Skip(1).Select(p => baseline with { SystemPrompt = p }));
                settings.AddRange(levels.Templates.Skip(1).Select(t => baseline with { Template = t }));
                settings.AddRange(levels.History.Skip(1).Select(h => baseline with { History = h }));
                settings.AddRange(levels.Formats.Skip(1).Select(f => baseline with { Format = f }));
                settings.AddRange(levels.Temperatures.Skip(1).Select(t => baseline with { Temperature = t }));
                settings.AddRange(levels.TopP.Skip(1).Select(p => baseline with { TopP = p }));
                return settings;
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

    private static List<FactorSetting> Cartesian(FactorLevels l) =>
        (from p in l.SystemPrompts
         from t in l.Templates
         from h in l.History
         from f in l.Formats
         from temp in l.Temperatures
         from topP in l.TopP
         select new FactorSetting(p, t, h, f, temp, topP)).ToList();
}
