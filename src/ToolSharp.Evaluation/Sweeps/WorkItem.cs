using ToolSharp.Environments.Episodes;
using ToolSharp.Evaluation.Store;

namespace ToolSharp.Evaluation.Sweeps;

/// <summary>One episode to run: a configuration, a task, a seed and a trial number — the results store's key.</summary>
public sealed record WorkItem(SweepConfiguration Configuration, IEnvironment Environment, EnvironmentTask Task, int Seed, int Trial)
{
    public EpisodeKey Key => new(Configuration.Hash, Task.Id, Seed, Trial);
}
