using System.Text.Json;
using ToolSharp.Cli.Commands;
using ToolSharp.Evaluation.Sweeps;
using ToolSharp.Evaluation.Tests.Fakes;
using ToolSharp.Testing;

namespace ToolSharp.Cli.Tests;

public class StudyCommandTests
{
    private static readonly Dictionary<string, double> Skills = new() { ["strong"] = 0.9, ["weak"] = 0.5 };

    private static string[] Models(Uri url) => [$"strong=openai:{url}#strong", $"weak=openai:{url}#weak"];

    [Fact]
    public void Quick_study_of_two_models_writes_the_study_report()
    {
        SimulatedEndpoint? endpoint = null;
        var server = new FakeOpenAiServer(r => endpoint!.Handle(r));
        try
        {
            var overrides = new SweepOverrides(Models(server.BaseUrl), [new EnvironmentEntry("arith:levels=1", "test", 4)]);
            var plan = SweepPlan.Create(StudyProtocol.Quick(SweepFile.Parse(StudyCommand.Preset(), "study.yaml", null, overrides)));
            endpoint = new SimulatedEndpoint(plan.Environments.SelectMany(e => e.Tasks), Skills);
            using var dir = new TempDirectory();
            var outDir = Path.Combine(dir.Path, "study");
            string[] args = ["study", "--model", Models(server.BaseUrl)[0], "--model", Models(server.BaseUrl)[1], "--env", "arith:levels=1", "--tasks", "4", "--quick", "--out", outDir];

            var run = CliRunner.Run(args);
            run.ExitCode.ShouldBe(0, run.Err);
            run.Err.ShouldContain("study study-quick: 2 models × 1 environments, 8 factor settings (fractional design), 2 seeds = 128 episodes");
            run.Out.ShouldContain("standard configuration (system_prompt=default, template=native, history=keep, format=native, temperature=0.7, top_p=1), every seed:");
            run.Out.ShouldContain("factor swing (best level − worst level, points of accuracy):");
            run.Out.ShouldContain("ranking: strong > weak");
            run.Out.ShouldContain("tasks at");

            var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json"))).RootElement;
            summary.GetProperty("episodes").GetInt32().ShouldBe(128);
            var standard = summary.GetProperty("standard_accuracy");
            standard.GetProperty("strong").GetProperty("episodes").GetInt32().ShouldBe(8);   // 4 tasks × 2 seeds at the baseline
            standard.GetProperty("weak").GetProperty("ci95").GetArrayLength().ShouldBe(2);
            var swings = summary.GetProperty("factor_swing");
            foreach (var factor in new[] { "seed", "system_prompt", "template", "history" })
                swings.GetProperty(factor).GetProperty("strong").GetProperty("swing").ValueKind.ShouldBe(JsonValueKind.Number, factor);
            swings.TryGetProperty("temperature", out _).ShouldBeFalse();
            var html = File.ReadAllText(Path.Combine(outDir, "report.html"));
            html.ShouldContain("data-chart=\"factor-swings\"");
            html.ShouldContain("data-chart=\"standard-scores\"");

            // Rerunning resumes: nothing is run twice.
            var again = CliRunner.Run(args);
            again.ExitCode.ShouldBe(0, again.Err);
            again.Err.ShouldContain("0 episodes run, 128 already stored");
        }
        finally { server.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
    }

    [Fact]
    public void Dry_run_of_the_preset_lists_the_fraction()
    {
        using var dir = new TempDirectory();
        var r = CliRunner.Run("study", "--model", "openai:http://127.0.0.1:9/v1#m", "--env", "arith", "--out", dir.File("s"), "--dry-run");
        r.ExitCode.ShouldBe(0, r.Err);
        r.Err.ShouldContain("1 models × 1 environments, 8 factor settings (fractional design), 5 seeds = 2000 episodes");
        r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(8);
    }

    [Theory]
    [InlineData(new[] { "study", "--env", "arith", "--out", "x" }, "study.yaml (built-in):")]
    [InlineData(new[] { "study", "--model", "gpt", "--env", "arith", "--out", "x" }, "--model[0].model: expected openai:BASE_URL")]
    [InlineData(new[] { "study", "--model", "openai:http://127.0.0.1:9/v1#m", "--env", "nosuch", "--out", "x" }, "--env[0].env: expected an environment (arith,")]
    public void Bad_input_is_one_line_naming_what_is_wrong(string[] args, string message)
    {
        var r = CliRunner.Run(args);
        r.ExitCode.ShouldNotBe(0);
        r.Err.ShouldContain(message);
        r.Err.Trim().Split('\n').Length.ShouldBe(1, r.Err);
    }
}
