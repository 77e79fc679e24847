using System.Globalization;
using ToolSharp.Core.Errors;
using ToolSharp.Environments.Episodes;

namespace ToolSharp.Environments.Arith;

/// <summary>What the arith generator produces: which difficulty levels, operand sizes, seed and test-set size.</summary>
/// <remarks>
/// Level = number of operations. Operand sizes grow with the level unless <see cref="Digits"/> fixes them:
/// level 1: 2–3 digits, level 2: 3 digits, level 3: 3–4 digits, level 4: 4 digits. Multipliers and divisors have two
/// digits whatever the level, which keeps products copyable while still beyond mental arithmetic.
/// </remarks>
public sealed record ArithOptions
{
    public int MinLevel { get; init; } = 1;

    public int MaxLevel { get; init; } = 4;

    /// <summary>Operand digits (min, max) for every level; null for the per-level default.</summary>
    public (int Min, int Max)? Digits { get; init; }

    /// <summary>Changes every generated task; part of the environment name when not 0.</summary>
    public int Seed { get; init; }

    /// <summary>How many tasks the fixed <c>test</c> split holds (<c>train</c> is endless).</summary>
    public int TestSize { get; init; } = 500;

    public const int HighestLevel = 4;

    /// <summary>Operand digits at <paramref name="level"/>.</summary>
    public (int Min, int Max) DigitsFor(int level) => Digits ?? level switch
    {
        1 => (2, 3),
        2 => (3, 3),
        3 => (3, 4),
        _ => (4, 4),
    };

    /// <summary>Reads options from a spec: <c>levels=1-2</c>, <c>digits=3-5</c>, <c>seed=7</c>, <c>test=1000</c>.</summary>
    public static ArithOptions From(EnvironmentOptions spec)
    {
        var levels = spec.GetRange("levels", (1, HighestLevel));
        var options = new ArithOptions
        {
            MinLevel = levels.Min,
            MaxLevel = levels.Max,
            Digits = spec.GetString("digits") is null ? null : spec.GetRange("digits", (0, 0)),
            Seed = spec.GetInt("seed", 0),
            TestSize = spec.GetInt("test", 500),
        };
        options.Validate();
        return options;
    }

    public void Validate()
    {
        if (MinLevel < 1 || MaxLevel > HighestLevel || MinLevel > MaxLevel)
            throw new ToolSharpException($"arith: levels must lie within 1-{HighestLevel}, found {MinLevel}-{MaxLevel}");
        if (Digits is { } d && (d.Min < 1 || d.Max > 9 || d.Min > d.Max))
            throw new ToolSharpException($"arith: digits must lie within 1-9, found {d.Min}-{d.Max}");
        if (TestSize < 1) throw new ToolSharpException($"arith: test size must be positive, found {TestSize}");
    }

    /// <summary>The option part of the environment name: empty for the defaults, else e.g. <c>:levels=1-2,seed=7</c>.</summary>
    public string NameSuffix()
    {
        var parts = new List<string>();
        if (Digits is { } d) parts.Add($"digits={d.Min}-{d.Max}");
        if (MinLevel != 1 || MaxLevel != HighestLevel) parts.Add($"levels={MinLevel}-{MaxLevel}");
        if (Seed != 0) parts.Add("seed=" + Seed.ToString(CultureInfo.InvariantCulture));
        if (TestSize != 500) parts.Add("test=" + TestSize.ToString(CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "" : ":" + string.Join(",", parts);
    }
}
