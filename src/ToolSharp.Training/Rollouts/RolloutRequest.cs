using ToolSharp.Environments.Episodes;

namespace ToolSharp.Training.Rollouts;

/// <summary>Roll out <paramref name="Count"/> trajectories of one task; sequence i samples with seed <paramref name="Seed"/> + i.</summary>
public sealed record RolloutRequest(EnvironmentTask Task, int Count, ulong Seed);
