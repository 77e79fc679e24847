namespace ToolSharp.Evaluation.Sweeps;

/// <summary>Models and environments given on the command line (<c>toolsharp study --model … --env …</c>), replacing a file's lists.</summary>
/// <param name="Models">Model specs, each <c>SPEC</c> or <c>NAME=SPEC</c>; null or empty keeps the file's.</param>
/// <param name="Environments">Environment entries; null or empty keeps the file's.</param>
public sealed record SweepOverrides(IReadOnlyList<string>? Models = null, IReadOnlyList<EnvironmentEntry>? Environments = null);
