using System.Text.Json;

namespace ToolSharp.Cli.Tests;

/// <summary>bench gemm on small rows: the JSON contract (every shape at every thread count, ratios only with OpenBLAS).</summary>
[Collection("EngineThreads")] // the command sets the engine's thread count while it measures
public sealed class BenchGemmCommandTests
{
    [Fact]
    public void Json_lists_every_shape_at_every_thread_count_with_a_summary_per_count()
    {
        var result = CliRunner.Run("bench", "gemm", "--model", "tiny", "--rows", "48", "--seq", "40", "--threads", "1,2", "--batches", "1", "--json");
        result.ExitCode.ShouldBe(0, result.Err);
        var root = JsonDocument.Parse(result.Out).RootElement;
        var withBlas = root.GetProperty("openblas").ValueKind == JsonValueKind.String;
        var shapes = root.GetProperty("shapes").EnumerateArray().ToList();
        var passes = shapes.Select(s => s.GetProperty("pass").GetString()).Distinct().ToList();
        passes.ShouldBe(["forward", "backward dX", "backward dW", "attention", "decode"], ignoreOrder: true);
        // attention's per-head products run one per thread in the engine, so only at 1 thread
        shapes.Where(s => s.GetProperty("pass").GetString() == "attention").ShouldAllBe(s => s.GetProperty("threads").GetInt32() == 1);
        shapes.Count(s => s.GetProperty("threads").GetInt32() == 1).ShouldBeGreaterThan(shapes.Count(s => s.GetProperty("threads").GetInt32() == 2));
        foreach (var s in shapes)
        {
            s.GetProperty("managed_gflops").GetDouble().ShouldBeGreaterThan(0);
            s.GetProperty("ratio").ValueKind.ShouldBe(withBlas ? JsonValueKind.Number : JsonValueKind.Null);
        }
        // the decode shapes have 1 to 8 rows; a forward projection has --rows rows
        shapes.Where(s => s.GetProperty("pass").GetString() == "decode").Select(s => s.GetProperty("m").GetInt32()).Distinct().Order().ShouldBe([1, 2, 4, 8]);
        shapes.First(s => s.GetProperty("pass").GetString() == "forward").GetProperty("m").GetInt32().ShouldBe(48);
        var summary = root.GetProperty("summary").EnumerateArray().ToList();
        summary.Select(s => s.GetProperty("threads").GetInt32()).ShouldBe([1, 2]);
        summary.ShouldAllBe(s => s.GetProperty("geomean_ratio").ValueKind == (withBlas ? JsonValueKind.Number : JsonValueKind.Null));
    }

    [Fact]
    public void A_bad_thread_list_is_a_usage_error()
    {
        var result = CliRunner.Run("bench", "gemm", "--threads", "1,two");
        result.ExitCode.ShouldBe(2);
        result.Err.ShouldContain("--threads '1,two': expected comma-separated positive integers, found 'two'");
    }
}
