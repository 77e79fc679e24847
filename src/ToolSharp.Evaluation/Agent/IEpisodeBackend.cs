using ToolSharp.Environments.Episodes;

namespace ToolSharp.Evaluation.Agent;

/// <summary>A backend that runs whole episodes itself, many at once, through the same <see cref="EpisodeDriver"/> rules
/// as <see cref="AgentLoop"/> (the built-in engine: batched generation with a KV cache per episode).</summary>
/// <remarks>Given the episodes of one configuration in task order, it must give each the same record whatever else runs
/// with it, so a sweep's numbers do not depend on how it was split or resumed (see the engine's notes on batching).</remarks>
public interface IEpisodeBackend : IModelBackend
{
    /// <summary>Runs <paramref name="jobs"/> (one configuration's episodes, in task order) and reports each record as it is done.</summary>
    Task RunAsync(IEnvironment environment, IReadOnlyList<EpisodeJob> jobs, AgentSettings settings, Func<EpisodeJob, EpisodeRecord, Task> finished, CancellationToken cancellationToken = default);
}
