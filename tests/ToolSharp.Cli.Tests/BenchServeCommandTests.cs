using System.Text.Json;

namespace ToolSharp.Cli.Tests;

/// <summary><c>toolsharp bench serve</c>: the three paths (engine, batcher, server over HTTP) measured on the same requests.</summary>
[Collection("EngineThreads")]
public sealed class BenchServeCommandTests
{
    [Fact]
    public void Json_has_every_path_per_concurrency_with_the_tokens_each_request_asked_for()
    {
        var result = CliRunner.Run("bench", "serve", "--streams", "1,3", "--requests", "2", "--max-tokens", "5", "--threads", "1", "--json");
        result.ExitCode.ShouldBe(0, result.Err);
        var root = JsonDocument.Parse(result.Out).RootElement;
        root.GetProperty("model").GetString().ShouldBe("random-tiny");
        root.GetProperty("max_tokens").GetInt32().ShouldBe(5);
        var rows = root.GetProperty("results").EnumerateArray().ToList();
        rows.Select(r => r.GetProperty("streams").GetInt32()).ShouldBe([1, 3]);
        foreach (var row in rows)
        {
            var requests = row.GetProperty("requests").GetInt32();
            requests.ShouldBe(row.GetProperty("streams").GetInt32() * 2);
            foreach (var path in new[] { "engine", "batcher", "server" })
            {
                var p = row.GetProperty(path);
                // A random model almost never emits its end-of-turn token in 5 greedy steps, so each request runs to max_tokens.
                p.GetProperty("tokens").GetInt64().ShouldBe(requests * 5L, path);
                p.GetProperty("tokens_per_second").GetDouble().ShouldBeGreaterThan(0, path);
            }
            row.GetProperty("server_vs_engine").GetDouble().ShouldBeGreaterThan(0);
        }
    }

    [Fact]
    public void A_bad_stream_count_is_a_usage_error_naming_it()
    {
        var result = CliRunner.Run("bench", "serve", "--streams", "1,0");
        result.ExitCode.ShouldBe(2);
        result.Err.ShouldContain("--streams '1,0': expected comma-separated integers from 1 to 64, found '0'");
    }
}
