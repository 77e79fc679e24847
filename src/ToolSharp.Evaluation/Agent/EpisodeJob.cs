using ToolSharp.Environments.Episodes;

namespace ToolSharp.Evaluation.Agent;

/// <summary>One episode for an <see cref="IEpisodeBackend"/>: the task and its sampling seed.</summary>
public sealed record EpisodeJob(EnvironmentTask Task, long Seed);
