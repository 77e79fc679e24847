using ToolSharp.Environments.Episodes;

namespace ToolSharp.Inference.Rollouts;

/// <summary>Rollouts wanted for one task: how many, and the seed they derive their sampling seeds from.</summary>
public sealed record RolloutRequest(EnvironmentTask Task, int Count, ulong Seed);
