using System.Text.Json;
using ToolSharp.Evaluation.Sweeps;
using ToolSharp.Evaluation.Tests.Fakes;
using ToolSharp.Testing;

namespace ToolSharp.Cli.Tests;

public class EvaluationCommandTests
{
    private static readonly Dictionary<string, double> Skills = new() { ["strong"] = 0.9, ["weak"] = 0.6 };

    private static string SweepYaml(Uri url, bool bfcl) => $$"""
        name: e2e
        models:
          - {name: strong, model: "openai:{{url}}#strong", concurrency: 4}
          - {name: weak, model: "openai:{{url}}#weak", concurrency: 4}
        environments:
          - {env: "arith:levels=1", split: test, tasks: 3}
        {{(bfcl ? "  - {env: bfcl, split: simple_python, tasks: 3}\n  - {env: bfcl, split: irrelevance, tasks: 2}" : "")}}
        factors:
          seeds: [1, 2, 3]
          system_prompts: [default, minimal]
          templates: [native, packed]
          history: [keep, drop-reasoning]
        max_turns: 4
        """;

    /// <summary>A fake endpoint serving the simulated model for the tasks of <paramref name="yamlFor"/>'s plan.</summary>
    private static (FakeOpenAiServer Server, Func<bool> SetOutage) Server(Func<Uri, string> yamlFor)
    {
        SimulatedEndpoint? endpoint = null;
        var outage = false;
        var server = new FakeOpenAiServer(r => Volatile.Read(ref outage) && r.Index % 4 == 0 ? FakeResponse.Status(503) : endpoint!.Handle(r));
        var plan = SweepPlan.Create(SweepFile.Parse(yamlFor(server.BaseUrl)));
        endpoint = new SimulatedEndpoint(plan.Environments.SelectMany(e => e.Tasks), Skills);
        return (server, () => { Volatile.Write(ref outage, !outage); return outage; });
    }

    private static void RunsEndToEnd(bool bfcl)
    {
        var (server, _) = Server(u => SweepYaml(u, bfcl));
        using var __ = new DisposeAsync(server);
        using var dir = new TempDirectory();
        var sweepFile = dir.File("sweep.yaml");
        File.WriteAllText(sweepFile, SweepYaml(server.BaseUrl, bfcl));
        var outDir = Path.Combine(dir.Path, "run");

        var run = CliRunner.Run("sweep", sweepFile, "--out", outDir);
        run.ExitCode.ShouldBe(0, run.Err);
        run.Out.ShouldContain("| strong");
        run.Out.ShouldContain("ranking: strong > weak");
        File.Exists(Path.Combine(outDir, "manifest.json")).ShouldBeTrue();

        var report = CliRunner.Run("report", outDir, "--json", "--resamples", "200");
        report.ExitCode.ShouldBe(0, report.Err);
        var root = JsonDocument.Parse(report.Out).RootElement;
        var envs = bfcl ? 3 : 1;
        root.GetProperty("episodes").GetInt32().ShouldBe(2 * 8 * 3 * (3 + (bfcl ? 5 : 0)));
        root.GetProperty("configurations").GetArrayLength().ShouldBe(2 * 8 * envs);
        root.GetProperty("configurations")[0].GetProperty("ci95").GetArrayLength().ShouldBe(2);
        root.GetProperty("kendall_tau").ValueKind.ShouldBe(JsonValueKind.Number);
        root.GetProperty("rank_flip_probability").TryGetProperty("strong>weak", out _).ShouldBeTrue();
        root.GetProperty("variance_share").TryGetProperty("system_prompt", out _).ShouldBeTrue();
        File.ReadAllText(Path.Combine(outDir, "report.html")).ShouldContain("data-chart=\"rank-flips\"");
        File.Exists(Path.Combine(outDir, "summary.json")).ShouldBeTrue();
        if (bfcl) root.GetProperty("models")[0].GetProperty("by_environment").TryGetProperty("bfcl/irrelevance", out _).ShouldBeTrue();
    }

    [Fact]
    public void Sweep_and_report_run_end_to_end_on_arith() => RunsEndToEnd(bfcl: false);

    [RequiresDataFact("datasets/bfcl")]
    public void Sweep_and_report_run_end_to_end_on_arith_and_bfcl() => RunsEndToEnd(bfcl: true);

    [Fact]
    public void An_outage_fails_the_sweep_and_rerunning_completes_it_with_the_numbers_of_a_clean_run()
    {
        var (server, toggleOutage) = Server(u => SweepYaml(u, false));
        using var __ = new DisposeAsync(server);
        using var dir = new TempDirectory();
        var sweepFile = dir.File("sweep.yaml");
        File.WriteAllText(sweepFile, SweepYaml(server.BaseUrl, false));

        CliRunner.Run("sweep", sweepFile, "--out", dir.File("clean.db")).ExitCode.ShouldBe(0);

        toggleOutage().ShouldBeTrue();
        // Without retries every request the outage hits fails its episode, which stays unstored.
        var first = CliRunner.Run("sweep", sweepFile, "--out", dir.File("resumed.db"), "--max-attempts", "1");
        first.ExitCode.ShouldBe(1);
        first.Err.ShouldContain("rerun the same command to resume");
        toggleOutage().ShouldBeFalse();
        var second = CliRunner.Run("sweep", sweepFile, "--out", dir.File("resumed.db"));
        second.ExitCode.ShouldBe(0, second.Err);

        var clean = CliRunner.Run("report", dir.File("clean.db"), "--json");
        var resumed = CliRunner.Run("report", dir.File("resumed.db"), "--json");
        // Every number but wall-clock latency is a function of the stored episodes.
        static string Numbers(string json) => System.Text.RegularExpressions.Regex.Replace(json, "\"latency_ms\":[0-9.]+", "");
        Numbers(resumed.Out).ShouldBe(Numbers(clean.Out));
    }

    [Fact]
    public void Eval_runs_one_configuration_and_resumes()
    {
        var (server, _) = Server(u => SweepYaml(u, false));
        using var __ = new DisposeAsync(server);
        using var dir = new TempDirectory();
        var db = dir.File("eval.db");

        var first = CliRunner.Run("eval", "--model", $"openai:{server.BaseUrl}#strong", "--env", "arith:levels=1", "--tasks", "3", "--seeds", "1,2", "--format", "hermes", "--out", db);
        first.ExitCode.ShouldBe(0, first.Err);
        first.Err.ShouldContain("6 episodes run, 0 already stored, 0 failed");
        var again = CliRunner.Run("eval", "--model", $"openai:{server.BaseUrl}#strong", "--env", "arith:levels=1", "--tasks", "3", "--seeds", "1,2", "--format", "hermes", "--out", db);
        again.Err.ShouldContain("0 episodes run, 6 already stored");
    }

    [Theory]
    [InlineData(new[] { "eval", "--model", "gpt-4o", "--env", "arith", "--out", "x.db" }, 2, "--model: model 'gpt-4o': expected openai:")]
    [InlineData(new[] { "eval", "--model", "openai:http://127.0.0.1:9/v1#m", "--env", "arith", "--seeds", "1,x", "--out", "x.db" }, 2, "--seeds: expected whole numbers")]
    [InlineData(new[] { "eval", "--model", "openai:http://127.0.0.1:9/v1#m", "--env", "nope", "--out", "x.db" }, 1, "unknown environment 'nope'")]
    [InlineData(new[] { "eval", "--model", "openai:http://127.0.0.1:9/v1#m", "--env", "arith", "--history", "windw:4", "--out", "x.db" }, 2, "--history: expected keep | drop-reasoning | window:K | truncate:N, combined with '+', found 'windw:4'")]
    [InlineData(new[] { "eval", "--model", "openai:http://127.0.0.1:9/v1#m", "--env", "arith", "--top-p", "2", "--out", "x.db" }, 2, "--top-p: expected a nucleus mass in (0, 1], found '2'")]
    [InlineData(new[] { "eval", "--model", "openai:http://127.0.0.1:9/v1#m", "--env", "arith", "--template", "nested", "--out", "x.db" }, 2, "--template: expected native or packed, found 'nested'")]
    [InlineData(new[] { "report", "/nonexistent/results.db" }, 1, "results database not found")]
    [InlineData(new[] { "sweep", "/nonexistent/sweep.yaml", "--out", "x" }, 1, "sweep file not found")]
    public void Bad_input_gives_one_clear_line(string[] args, int code, string message)
    {
        var r = CliRunner.Run(args);
        r.ExitCode.ShouldBe(code);
        r.Err.ShouldContain(message);
    }

    [Theory]
    [InlineData("models: [\"openai:http://127.0.0.1:9/v1#m\"]\nenvironments: [{env: arith, tasks: 2}, {env: arith, tasks: 2}]\n",
        "s.yaml:2:40: environments[1]: expected each environment entry once, found the same env, split and tasks as environments[0]")]
    [InlineData("models: [1, 2\nname: 3\n", "s.yaml:1:9: models: expected ']' closing this list, found the end of the file")]
    [InlineData("models: [\"openai:http://127.0.0.1:9/v1#m\"]\nenvironments: [{env: arith, split: dev}]\n", "s.yaml:2:16: environments[0]: arith: unknown split 'dev' (splits: train, test)")]
    public void A_malformed_sweep_file_is_one_error_line_naming_file_line_and_column(string yaml, string message)
    {
        // These used to end in "unexpected ArgumentException" / "unexpected InvalidOperationException" or name no place.
        using var dir = new TempDirectory();
        var file = dir.File("s.yaml");
        File.WriteAllText(file, yaml);
        var r = CliRunner.Run("sweep", file, "--out", dir.File("r.db"));
        r.ExitCode.ShouldBe(1);
        r.Err.Trim().ShouldBe($"error: {dir.Path}/{message}");
    }

    [Fact]
    public void Report_opens_a_database_written_before_schema_versioning_and_exports_it()
    {
        using var dir = new TempDirectory();
        var db = dir.File("v1.db");
        ToolSharp.Evaluation.Tests.Store.V1Fixture.CreateDatabase(db);

        var r = CliRunner.Run("report", db, "--json", "--export", dir.File("episodes.csv"));
        r.ExitCode.ShouldBe(0, r.Err);
        JsonDocument.Parse(r.Out).RootElement.GetProperty("episodes").GetInt32().ShouldBe(64);
        File.ReadAllText(dir.File("episodes.csv")).ShouldBe(File.ReadAllText(ToolSharp.Evaluation.Tests.Store.V1Fixture.File("results-v1.csv")));
        CliRunner.Run("report", db, "--export", dir.File("episodes.jsonl")).ExitCode.ShouldBe(0);
        File.ReadAllLines(dir.File("episodes.jsonl")).Length.ShouldBe(64);
    }

    [Fact]
    public void Dry_run_lists_configurations()
    {
        using var dir = new TempDirectory();
        var file = dir.File("s.yaml");
        File.WriteAllText(file, SweepYaml(new Uri("http://127.0.0.1:9/v1"), false));
        var r = CliRunner.Run("sweep", file, "--out", dir.File("r.db"), "--dry-run");
        r.ExitCode.ShouldBe(0, r.Err);
        r.Out.ShouldContain("16 configurations × 3 seeds × 1 trials = 144 episodes");
    }

    private sealed class DisposeAsync(FakeOpenAiServer server) : IDisposable
    {
        public void Dispose() => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
