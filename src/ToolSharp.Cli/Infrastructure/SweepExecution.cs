using Spectre.Console;
using ToolSharp.Core.Errors;
using ToolSharp.Evaluation.Agent;
using ToolSharp.Evaluation.Policies;
using ToolSharp.Inference.Policies;
using ToolSharp.Evaluation.Reports;
using ToolSharp.Evaluation.Store;
using ToolSharp.Evaluation.Sweeps;

namespace ToolSharp.Cli.Infrastructure;

/// <summary>Runs a sweep plan into a results database for <c>eval</c> and <c>sweep</c>: progress with ETA on stderr,
/// a summary table on stdout, exit 1 when episodes are left for a resume.</summary>
public static class SweepExecution
{
    /// <summary>Where results go: a <c>.db</c> path, or a directory that receives <c>results.db</c> and <c>manifest.json</c>.</summary>
    public static (string Database, string? Directory) ResolveOut(string path)
    {
        if (path.EndsWith(".db", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".sqlite", StringComparison.OrdinalIgnoreCase) || File.Exists(path))
            return (path, null);
        return (Path.Combine(path, "results.db"), path);
    }

    /// <summary>The API key from <c>--api-key-env NAME</c>, else <c>OPENAI_API_KEY</c>; null (no header) when unset.</summary>
    public static string? ApiKey(string? variable)
    {
        if (variable is not null)
        {
            var value = Environment.GetEnvironmentVariable(variable);
            return string.IsNullOrEmpty(value) ? throw new UsageException($"--api-key-env {variable}: the environment variable is not set") : value;
        }
        var key = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
        return string.IsNullOrEmpty(key) ? null : key;
    }

    public static RetryOptions Retry(int maxAttempts) =>
        maxAttempts >= 1 ? new RetryOptions { MaxAttempts = maxAttempts } : throw new UsageException($"--max-attempts: expected at least 1, found {maxAttempts}");

    /// <param name="printSummary">Print the summary table when done (<c>study</c> prints its own).</param>
    public static async Task<int> RunAsync(CliContext ctx, SweepPlan plan, string outPath, string? apiKey, CancellationToken cancellation, RetryOptions? retry = null, bool printSummary = true)
    {
        var (database, directory) = ResolveOut(outPath);
        var policies = new Dictionary<string, IModelBackend>();
        IModelBackend Policy(ModelEntry m)
        {
            lock (policies)
            {
                if (!policies.TryGetValue(m.Label, out var p)) policies[m.Label] = p = ModelPolicies.Create(m.Spec, apiKey, m.Concurrency, retry, line => ctx.Err.WriteLine($"{m.Label}: {line}"));
                return p;
            }
        }

        using var store = ResultsStore.Open(database);
        SweepProgress result;
        var runner = (Action<SweepProgress>? progress) => new SweepRunner(plan, store, Policy, new SweepRunnerOptions { Progress = progress }).RunAsync(cancellation);
        if (ctx.Interactive)
        {
            result = await ctx.Status.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async p =>
                {
                    var task = p.AddTask($"{plan.Definition.Name}: {plan.EpisodeCount} episodes", maxValue: plan.EpisodeCount);
                    return await runner(s => { task.Value = s.Done; task.Description = $"{plan.Definition.Name}: {s.Done}/{s.Total}" + (s.Failed > 0 ? $", {s.Failed} failed" : ""); });
                });
        }
        else
        {
            var lastDecile = -1;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var gate = new Lock();
            result = await runner(s =>
            {
                var decile = s.Total == 0 ? 10 : s.Done * 10 / s.Total;
                lock (gate)
                {
                    if (decile <= lastDecile) return;
                    lastDecile = decile;
                    var eta = s.Finished == 0 ? "" : $", ETA {TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / s.Finished * (s.Total - s.Done)):hh\\:mm\\:ss}";
                    ctx.Err.WriteLine($"{s.Done}/{s.Total} episodes ({decile * 10}%){(s.Failed > 0 ? $", {s.Failed} failed" : "")}{eta}");
                }
            });
        }

        foreach (var p in policies.Values) (p as IDisposable)?.Dispose();
        if (directory is not null)
            await File.WriteAllTextAsync(Path.Combine(directory, "manifest.json"), Core.Json.JsonValues.ToCompact(Core.Json.JsonValues.Parse(store.GetManifest("manifest")!)), cancellation);

        ctx.Err.WriteLine($"{result.Finished} episodes run, {result.AlreadyDone} already stored, {result.Failed} failed → {database}");
        if (printSummary)
            SummaryTable.Write(ctx, SweepSummary.Build(plan.Definition.Name, store.Episodes(), new SummaryOptions { PricePerMillion = plan.Definition.PricePerMillion }));
        if (result.Failed > 0 || result.Done < result.Total)
        {
            ctx.Err.WriteLine($"error: {result.Total - result.Done} episodes did not finish (last failure: {result.LastError}); rerun the same command to resume");
            return ExitCodes.Failure;
        }
        return ExitCodes.Ok;
    }
}
