namespace ToolSharp.Evaluation.Sweeps;

/// <summary>An environment and the tasks taken from it: a spec, a split, how many tasks, and (optionally) a sampling seed.</summary>
/// <param name="Spec">E.g. <c>arith:levels=1-2</c> or <c>bfcl</c>.</param>
/// <param name="Split">E.g. <c>test</c> or a BFCL category.</param>
/// <param name="Tasks">Number of tasks.</param>
/// <param name="SampleSeed">Null for the first tasks in order; otherwise a seeded sample.</param>
public sealed record EnvironmentEntry(string Spec, string Split, int Tasks, int? SampleSeed = null)
{
    /// <summary>The label in tables, e.g. <c>arith/test</c>.</summary>
    public string Label => $"{Spec}/{Split}";

    /// <summary>Where the entry was written (<c>sweep.yaml:7:5: environments[1]</c>), put before errors found when the
    /// environment is created; null for entries built in code.</summary>
    public string? Origin { get; init; }
}
