using ToolSharp.Environments.Episodes;

namespace ToolSharp.Evaluation.Sweeps;

/// <summary>An environment of a sweep, created, with its selected tasks and the hash of that task list.</summary>
public sealed record PlannedEnvironment(EnvironmentEntry Entry, IEnvironment Environment, IReadOnlyList<EnvironmentTask> Tasks, string DatasetHash);
