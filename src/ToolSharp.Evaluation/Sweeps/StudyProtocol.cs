namespace ToolSharp.Evaluation.Sweeps;

/// <summary>ToolSharp's standard sensitivity protocol (<c>toolsharp study</c>): a sweep over the factors that move published
/// tool-calling scores, run as a fractional design, reported with the standard configuration's scores and each factor's swing.</summary>
/// <remarks>
/// The preset (<c>studies/study.yaml</c>) fixes the factors and levels; the standard configuration is every factor at
/// its first level. <see cref="Quick"/> keeps the design's shape but cuts it to a smoke-test size: two seeds, at most
/// <see cref="QuickTasks"/> tasks per environment, the smallest balanced fraction — enough to see whether a factor
/// matters at all, not to resolve small differences.
/// </remarks>
public static class StudyProtocol
{
    /// <summary>Tasks per environment under <c>--quick</c>.</summary>
    public const int QuickTasks = 20;

    /// <summary>Seeds under <c>--quick</c>: the first two the study lists.</summary>
    public const int QuickSeeds = 2;

    /// <summary>The study cut to its quick form.</summary>
    public static SweepDefinition Quick(SweepDefinition study) => study with
    {
        Name = study.Name + "-quick",
        Environments = study.Environments.Select(e => e with { Tasks = Math.Min(e.Tasks, QuickTasks) }).ToList(),
        Factors = study.Factors with { Seeds = study.Factors.Seeds.Take(QuickSeeds).ToList() },
        Design = new SweepDesign(DesignKind.Fractional, null, study.Design.Seed),
    };

    /// <summary>The standard configuration: each factor's first level, as the report keys it.</summary>
    public static IReadOnlyDictionary<string, string> Standard(FactorLevels levels) =>
        SweepFactors.All.ToDictionary(f => f.Name, f => f.LevelNames(levels)[0]);
}
