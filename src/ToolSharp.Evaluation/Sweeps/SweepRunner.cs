using ToolSharp.Evaluation.Agent;
using ToolSharp.Evaluation.Store;

namespace ToolSharp.Evaluation.Sweeps;

/// <summary>Runs a sweep plan into a results store, skipping episodes already stored: an interrupted sweep resumes where it stopped.</summary>
/// <remarks>
/// Every episode is a pure function of its key (configuration, task, seed, trial) given a deterministic backend, and
/// is stored the moment it finishes, so neither the order in which concurrent episodes finish nor an interruption
/// changes the final numbers. An episode whose backend fails (<see cref="PolicyException"/>) is not stored and is
/// retried by the next run. Turn-at-a-time policies run episodes concurrently through <see cref="AgentLoop"/>; an
/// <see cref="IEpisodeBackend"/> (the built-in engine) gets each (configuration, seed, trial)'s episodes together, in task order.
/// </remarks>
public sealed class SweepRunner(SweepPlan plan, ResultsStore store, Func<ModelEntry, IModelBackend> policies, SweepRunnerOptions? options = null)
{
    private readonly SweepRunnerOptions _options = options ?? new SweepRunnerOptions();

    public async Task<SweepProgress> RunAsync(CancellationToken cancellationToken = default)
    {
        var models = plan.Definition.Models.ToDictionary(m => m.Label, policies);
        store.AddConfigurations(plan.Configurations.Select(c => c.Stored));
        store.SetManifest("manifest", Core.Json.JsonValues.ToCompact(plan.Manifest(models.ToDictionary(kv => kv.Key, kv => kv.Value.Identity))));
        store.SetManifest("sweep", plan.Definition.Name);

        var done = store.CompletedKeys();
        var all = plan.WorkItems().ToList();
        var todo = all.Where(w => !done.Contains(w.Key)).ToList();
        var alreadyDone = all.Count - todo.Count;
        var finished = 0;
        var failed = 0;
        string? lastError = null;
        _options.Progress?.Invoke(new SweepProgress(all.Count, alreadyDone, 0, 0));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = _options.Concurrency ?? Math.Max(1, plan.Definition.Models.Max(m => m.Concurrency)),
            CancellationToken = stop.Token,
        };
        void Report() => _options.Progress?.Invoke(new SweepProgress(all.Count, alreadyDone, Volatile.Read(ref finished), Volatile.Read(ref failed), lastError));
        void Failed(PolicyException ex)
        {
            lastError = ex.Message;
            if (Interlocked.Increment(ref failed) >= _options.MaxFailures) stop.Cancel();
        }
        var batched = todo.Where(w => models[w.Configuration.Model.Label] is IEpisodeBackend)
            .GroupBy(w => (w.Configuration.Hash, w.Seed, w.Trial)).Select(g => g.ToList()).ToList();
        var single = todo.Where(w => models[w.Configuration.Model.Label] is not IEpisodeBackend).ToList();
        try
        {
            foreach (var items in batched)
            {
                var first = items[0];
                var backend = (IEpisodeBackend)models[first.Configuration.Model.Label];
                var settings = first.Configuration.AgentSettings(plan.Definition, first.Seed, first.Trial);
                var byTask = items.ToDictionary(w => w.Task.Id);
                try
                {
                    await backend.RunAsync(first.Environment, items.Select(w => new EpisodeJob(w.Task, settings.Sampling.Seed ?? 0)).ToList(), settings, (job, record) =>
                    {
                        store.Add(byTask[job.Task.Id].Key, record);
                        Interlocked.Increment(ref finished);
                        Report();
                        return Task.CompletedTask;
                    }, stop.Token).ConfigureAwait(false);
                }
                catch (PolicyException ex)
                {
                    Failed(ex);
                    Report();
                }
                stop.Token.ThrowIfCancellationRequested();
            }
            await Parallel.ForEachAsync(single, parallel, async (item, ct) =>
            {
                var settings = item.Configuration.AgentSettings(plan.Definition, item.Seed, item.Trial);
                try
                {
                    var record = await AgentLoop.RunAsync(item.Environment, item.Task, (IPolicy)models[item.Configuration.Model.Label], settings, ct).ConfigureAwait(false);
                    store.Add(item.Key, record);
                    Interlocked.Increment(ref finished);
                }
                catch (PolicyException ex)
                {
                    Failed(ex);
                }
                Report();
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Stopped because the backend kept failing: what finished is stored; the caller reports and a rerun resumes.
        }
        return new SweepProgress(all.Count, alreadyDone, finished, failed, lastError);
    }
}
