using System.Diagnostics;
using System.Text.Json;
using ToolSharp.Evaluation.Reports;
using ToolSharp.Evaluation.Store;
using ToolSharp.Evaluation.Sweeps;
using ToolSharp.Evaluation.Tests.Fakes;
using ToolSharp.Testing;

namespace ToolSharp.Evaluation.Tests.Reports;

public class ReportTests
{
    private static async Task<SweepSummary> SimulatedSummary(TempDirectory dir)
    {
        SimulatedEndpoint? endpoint = null;
        await using var server = new FakeOpenAiServer(r => endpoint!.Handle(r));
        var plan = SweepPlan.Create(SweepFile.Parse(SimulatedSweep.Yaml(server.BaseUrl, tasks: 5)));
        endpoint = SimulatedSweep.Endpoint(plan);
        using var store = ResultsStore.Open(dir.File("r.db"));
        await new SweepRunner(plan, store, SimulatedSweep.Policies()).RunAsync();
        return SweepSummary.Build("simulated", store.Episodes(), new SummaryOptions { Resamples = 300, Standard = StudyProtocol.Standard(plan.Definition.Factors) });
    }

    [Fact]
    public async Task Summary_json_has_per_configuration_and_sweep_level_statistics()
    {
        using var dir = new TempDirectory();
        var summary = await SimulatedSummary(dir);
        var root = JsonDocument.Parse(summary.ToJson()).RootElement;

        root.GetProperty("episodes").GetInt32().ShouldBe(2 * 2 * 2 * 2 * 3 * 5);
        var configs = root.GetProperty("configurations");
        configs.GetArrayLength().ShouldBe(16);
        foreach (var c in configs.EnumerateArray())
        {
            c.GetProperty("episodes").GetInt32().ShouldBe(15);
            var acc = c.GetProperty("accuracy").GetDouble();
            c.GetProperty("ci95")[0].GetDouble().ShouldBeLessThanOrEqualTo(acc);
            c.GetProperty("ci95")[1].GetDouble().ShouldBeGreaterThanOrEqualTo(acc);
            c.GetProperty("pass_hat_k").GetProperty("3").ValueKind.ShouldBe(JsonValueKind.Number);
        }
        root.GetProperty("ranking")[0].GetString().ShouldBe("strong");
        root.GetProperty("kendall_tau").ValueKind.ShouldBe(JsonValueKind.Number);
        root.GetProperty("rank_flip_probability").GetProperty("strong>weak").GetProperty("across_bootstrap").GetDouble().ShouldBeLessThan(0.2);
        var shares = root.GetProperty("variance_share");
        shares.GetProperty("model").GetProperty("main").GetDouble().ShouldBeGreaterThan(0);
        shares.GetProperty("system_prompt").GetProperty("main").GetDouble().ShouldBeGreaterThan(0);
        shares.TryGetProperty("seed", out _).ShouldBeTrue();
        shares.TryGetProperty("template", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Html_is_self_contained_and_holds_every_chart()
    {
        using var dir = new TempDirectory();
        var html = HtmlReport.Render(await SimulatedSummary(dir), "{\"name\":\"simulated\"}");

        html.ShouldNotContain("<script");
        html.ShouldNotContain("src=");
        html.ShouldNotContain("href=");
        foreach (var chart in new[] { "model-scores", "configuration-scores", "effect-system_prompt", "effect-template", "effect-history", "variance-shares", "rank-flips", "efficiency-pareto", "standard-scores", "factor-swings" })
            html.ShouldContain($"data-chart=\"{chart}\"");
    }

    [Fact]
    public void Pareto_front_keeps_only_undominated_points() =>
        SvgCharts.ParetoFront([(10, 0.5), (5, 0.4), (20, 0.9), (15, 0.45), (5, 0.2)]).ShouldBe([(5, 0.4), (10, 0.5), (20, 0.9)]);

    [ChromiumFact]
    public async Task Html_renders_in_headless_chromium_with_charts_drawn()
    {
        using var dir = new TempDirectory();
        var path = dir.File("report.html");
        // A test-only probe measures every chart's marks after layout; the report itself has no scripts.
        const string probe = """
            <script>
            for (const svg of document.querySelectorAll('svg.chart')) {
              const marks = [...svg.querySelectorAll('.bar,.point,.cell,.line,.front')];
              const drawn = marks.filter(m => { const b = m.getBBox(); return b.width > 0 || b.height > 0; }).length;
              svg.setAttribute('data-drawn', String(drawn));
            }
            </script>
            """;
        await File.WriteAllTextAsync(path, HtmlReport.Render(await SimulatedSummary(dir)).Replace("</body>", probe + "</body>"));

        var psi = new ProcessStartInfo(ChromiumFactAttribute.Path, ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "file://" + path])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var dom = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        await stderr;

        var drawn = System.Text.RegularExpressions.Regex.Matches(dom, "data-chart=\"([^\"]+)\"[^>]*data-drawn=\"(\\d+)\"")
            .ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value));
        drawn.Count.ShouldBe(10, dom.Length > 400 ? dom[..400] : dom);
        drawn.ShouldAllBe(kv => kv.Value > 0);
        drawn["rank-flips"].ShouldBe(4);
        drawn["efficiency-pareto"].ShouldBeGreaterThanOrEqualTo(16);
        drawn["standard-scores"].ShouldBeGreaterThanOrEqualTo(2);
        // One bar per (factor, model): seed, system prompt, template and history for two models.
        drawn["factor-swings"].ShouldBeGreaterThanOrEqualTo(8);
    }
}
