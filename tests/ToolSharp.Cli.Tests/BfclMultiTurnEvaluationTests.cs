using System.Text.Json;
using ToolSharp.Evaluation.Sweeps;
using ToolSharp.Evaluation.Tests.Fakes;
using ToolSharp.Testing;

namespace ToolSharp.Cli.Tests;

/// <summary>BFCL multi-turn through the CLI against an OpenAI-compatible endpoint: sweep, eval with resume, the report's
/// BFCL columns, and the export that BFCL-style scoring reads back to the same numbers.</summary>
public class BfclMultiTurnEvaluationTests
{
    private const string Data = "datasets/bfcl";

    private static string SweepYaml(Uri url) => $$"""
        name: bfcl-multi-turn
        models:
          - {name: strong, model: "openai:{{url}}#strong", concurrency: 4}
          - {name: weak, model: "openai:{{url}}#weak", concurrency: 4}
        environments:
          - {env: bfcl, split: multi_turn_base, tasks: 4}
        factors:
          seeds: [1, 2]
          system_prompts: [default, bfcl]
          formats: [native, hermes]
        """;

    private static FakeOpenAiServer Server(Func<Uri, string> yamlFor)
    {
        SimulatedEndpoint? endpoint = null;
        var server = new FakeOpenAiServer(r => endpoint!.Handle(r));
        var plan = SweepPlan.Create(SweepFile.Parse(yamlFor(server.BaseUrl)));
        endpoint = new SimulatedEndpoint(plan.Environments.SelectMany(e => e.Tasks), new Dictionary<string, double> { ["strong"] = 0.9, ["weak"] = 0.5 });
        return server;
    }

    [RequiresDataFact(Data)]
    public async Task A_sweep_over_multi_turn_base_reports_bfcl_columns_and_exports_results_bfcl_scoring_agrees_with()
    {
        var server = Server(SweepYaml);
        await using var _ = server;
        using var dir = new TempDirectory();
        var sweepFile = dir.File("sweep.yaml");
        File.WriteAllText(sweepFile, SweepYaml(server.BaseUrl));
        var outDir = Path.Combine(dir.Path, "run");

        var run = CliRunner.Run("sweep", sweepFile, "--out", outDir);
        run.ExitCode.ShouldBe(0, run.Err);
        run.Out.ShouldContain("multi-turn overall (1/4 categories)");

        var report = CliRunner.Run("report", outDir, "--json", "--resamples", "100", "--export-bfcl", dir.File("bfcl"));
        report.ExitCode.ShouldBe(0, report.Err);
        var root = JsonDocument.Parse(report.Out).RootElement;
        root.GetProperty("episodes").GetInt32().ShouldBe(2 * 2 * 2 * 2 * 4);
        var strong = root.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("model").GetString() == "strong");
        var bfcl = strong.GetProperty("bfcl");
        bfcl.GetProperty("multi_turn_overall").GetDouble().ShouldBe(bfcl.GetProperty("multi_turn_base").GetDouble());
        bfcl.GetProperty("multi_turn_base").GetDouble().ShouldBeGreaterThan(0.5); // the simulated strong model solves ~90%
        File.ReadAllText(Path.Combine(outDir, "report.html")).ShouldContain("<section id=\"bfcl\">");

        // Every exported run, scored by `bfcl score`, has as many correct entries as the store says.
        var index = JsonDocument.Parse(File.ReadAllText(dir.File("bfcl/index.json"))).RootElement;
        index.GetArrayLength().ShouldBe(2 * 2 * 2 * 2);
        var questions = SharedData.Path(Data, "BFCL_v4_multi_turn_base.json");
        var answers = SharedData.Path(Data, "possible_answer", "BFCL_v4_multi_turn_base.json");
        var exportedCorrect = 0;
        foreach (var entry in index.EnumerateArray())
        {
            var results = Path.Combine(dir.File("bfcl"), entry.GetProperty("Folder").GetString()!, "multi_turn", "BFCL_v4_multi_turn_base_result.json");
            File.ReadAllLines(results).Length.ShouldBe(4);
            var score = CliRunner.Run("bfcl", "score", "-q", questions, "-a", answers, "-r", results);
            score.ExitCode.ShouldBe(0, score.Err);
            exportedCorrect += JsonDocument.Parse(score.Out.Split('\n')[0]).RootElement.GetProperty("correct").GetInt32();
        }
        var storedCorrect = root.GetProperty("configurations").EnumerateArray().Sum(c => (int)Math.Round(c.GetProperty("accuracy").GetDouble() * c.GetProperty("episodes").GetInt32()));
        exportedCorrect.ShouldBe(storedCorrect);
        storedCorrect.ShouldBeGreaterThan(0);
    }

    [RequiresDataFact(Data)]
    public async Task Eval_runs_miss_func_natively_and_in_prompt_mode_and_resumes()
    {
        var server = Server(u => $"models: [\"openai:{u}#strong\"]\nenvironments: [{{env: bfcl, split: multi_turn_miss_func, tasks: 3}}]\n");
        await using var _ = server;
        using var dir = new TempDirectory();
        foreach (var format in new[] { "native", "hermes" })
        {
            var db = dir.File($"{format}.db");
            string[] args = ["eval", "--model", $"openai:{server.BaseUrl}#strong", "--env", "bfcl", "--split", "multi_turn_miss_func", "--tasks", "3", "--seeds", "1,2", "--format", format, "--out", db];
            var first = CliRunner.Run(args);
            first.ExitCode.ShouldBe(0, first.Err);
            first.Err.ShouldContain("6 episodes run, 0 already stored, 0 failed");
            CliRunner.Run(args).Err.ShouldContain("0 episodes run, 6 already stored");
            var report = JsonDocument.Parse(CliRunner.Run("report", db, "--json", "--resamples", "50").Out).RootElement;
            report.GetProperty("models")[0].GetProperty("bfcl").GetProperty("multi_turn_miss_func").GetDouble().ShouldBeGreaterThan(0, format);
        }
    }
}
