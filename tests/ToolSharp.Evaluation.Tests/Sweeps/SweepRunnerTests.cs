using ToolSharp.Evaluation.Store;
using ToolSharp.Evaluation.Sweeps;
using ToolSharp.Evaluation.Tests.Fakes;
using ToolSharp.Testing;

namespace ToolSharp.Evaluation.Tests.Sweeps;

public class SweepRunnerTests
{
    private static async Task<(SweepPlan Plan, FakeOpenAiServer Server)> Start(Func<FakeRequest, FakeResponse>? wrap = null)
    {
        // The server needs the plan's tasks and the plan needs the server's URL: build the plan once to learn the tasks.
        SimulatedEndpoint? endpoint = null;
        var server = new FakeOpenAiServer(r => wrap?.Invoke(r) ?? endpoint!.Handle(r));
        var plan = SweepPlan.Create(SweepFile.Parse(SimulatedSweep.Yaml(server.BaseUrl)));
        endpoint = SimulatedSweep.Endpoint(plan);
        await Task.CompletedTask;
        return (plan, server);
    }

    private static string Numbers(ResultsStore store) =>
        string.Join("\n", store.Episodes().Select(e => $"{e.ConfigHash} {e.TaskId} {e.Seed} {e.Trial} {e.Reward} {e.Turns} {e.ToolCalls} {e.PromptTokens}"));

    [Fact]
    public async Task Runs_every_episode_once_and_a_rerun_does_nothing()
    {
        var (plan, server) = await Start();
        await using var _ = server;
        using var dir = new TempDirectory();
        using var store = ResultsStore.Open(dir.File("r.db"));

        var first = await new SweepRunner(plan, store, SimulatedSweep.Policies()).RunAsync();
        first.Finished.ShouldBe(plan.EpisodeCount);
        first.Failed.ShouldBe(0);
        plan.EpisodeCount.ShouldBe(2 * 1 * 2 * 2 * 2 * 3 * 4);
        store.EpisodeCount().ShouldBe(plan.EpisodeCount);

        var requests = server.RequestCount;
        var second = await new SweepRunner(plan, store, SimulatedSweep.Policies()).RunAsync();
        second.Finished.ShouldBe(0);
        second.AlreadyDone.ShouldBe(plan.EpisodeCount);
        server.RequestCount.ShouldBe(requests);

        var episodes = store.Episodes();
        episodes.Where(e => e.Model == "strong").Average(e => e.Reward).ShouldBeGreaterThan(episodes.Where(e => e.Model == "weak").Average(e => e.Reward));
        store.GetManifest("manifest")!.ShouldContain("dataset_hash");
    }

    [Fact]
    public async Task An_interrupted_sweep_resumes_to_identical_numbers_without_duplicates()
    {
        var (plan, server) = await Start();
        await using var _ = server;
        using var dir = new TempDirectory();

        using var reference = ResultsStore.Open(dir.File("reference.db"));
        await new SweepRunner(plan, reference, SimulatedSweep.Policies()).RunAsync();

        using var interrupted = ResultsStore.Open(dir.File("interrupted.db"));
        using var cts = new CancellationTokenSource();
        var runner = new SweepRunner(plan, interrupted, SimulatedSweep.Policies(), new SweepRunnerOptions
        {
            Progress = p => { if (p.Finished >= 40) cts.Cancel(); },
        });
        await Should.ThrowAsync<OperationCanceledException>(() => runner.RunAsync(cts.Token));
        var partial = interrupted.EpisodeCount();
        partial.ShouldBeInRange(40, plan.EpisodeCount - 1);

        var resumed = await new SweepRunner(plan, interrupted, SimulatedSweep.Policies()).RunAsync();
        resumed.AlreadyDone.ShouldBe(partial);
        resumed.Finished.ShouldBe(plan.EpisodeCount - partial);
        interrupted.EpisodeCount().ShouldBe(plan.EpisodeCount);
        Numbers(interrupted).ShouldBe(Numbers(reference));
    }

    [Fact]
    public async Task An_endpoint_outage_leaves_failed_episodes_for_the_next_run()
    {
        var outage = true;
        SimulatedEndpoint? endpoint = null;
        await using var server = new FakeOpenAiServer(r => Volatile.Read(ref outage) && r.Index % 3 == 0 ? FakeResponse.Status(503) : endpoint!.Handle(r));
        var plan = SweepPlan.Create(SweepFile.Parse(SimulatedSweep.Yaml(server.BaseUrl, tasks: 2)));
        endpoint = SimulatedSweep.Endpoint(plan);
        using var dir = new TempDirectory();
        using var store = ResultsStore.Open(dir.File("r.db"));

        var first = await new SweepRunner(plan, store, SimulatedSweep.Policies(attempts: 1), new SweepRunnerOptions { MaxFailures = 1000 }).RunAsync();
        first.Failed.ShouldBeGreaterThan(0);
        first.LastError!.ShouldContain("HTTP 503");
        store.EpisodeCount().ShouldBe(first.Finished);

        Volatile.Write(ref outage, false);
        var second = await new SweepRunner(plan, store, SimulatedSweep.Policies(attempts: 1)).RunAsync();
        second.Failed.ShouldBe(0);
        store.EpisodeCount().ShouldBe(plan.EpisodeCount);
    }

    [Fact]
    public async Task Exports_jsonl_and_csv()
    {
        var (plan, server) = await Start();
        await using var _ = server;
        using var dir = new TempDirectory();
        using var store = ResultsStore.Open(dir.File("r.db"));
        await new SweepRunner(plan, store, SimulatedSweep.Policies()).RunAsync();

        var jsonl = new StringWriter();
        store.ExportJsonl(jsonl);
        var lines = jsonl.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(plan.EpisodeCount);
        var row = System.Text.Json.JsonDocument.Parse(lines[0]).RootElement;
        row.GetProperty("steps").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Array);
        row.GetProperty("transcript").GetProperty("messages").GetArrayLength().ShouldBeGreaterThan(1);

        var csv = new StringWriter();
        store.ExportCsv(csv);
        var csvLines = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        csvLines.Length.ShouldBe(plan.EpisodeCount + 1);
        csvLines[0].ShouldStartWith("model,environment,system_prompt");
    }
}
