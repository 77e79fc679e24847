using System.Text.Json;
using ToolSharp.Cli.LlamaCpp;
using ToolSharp.Evaluation.Store;
using ToolSharp.Models.Configuration;
using ToolSharp.Testing;

namespace ToolSharp.Cli.Tests;

/// <summary>The built-in engine against llama.cpp on the same weights: tokens, chat template, greedy output and evaluation results.</summary>
[Collection("EngineThreads")]
public class LlamaCppTests(WarmedMicroRun micro) : IClassFixture<WarmedMicroRun>
{
    [LlamaServerTheory]
    [InlineData(Architecture.Qwen3)]
    [InlineData(Architecture.Llama)]
    public void Bench_finds_templates_tokens_and_greedy_continuations_equal(Architecture arch)
    {
        var run = micro.Runs[arch];
        var result = CliRunner.Run("bench", "llamacpp", "--run", run, "--llama-server", LlamaServerFactAttribute.Binary, "--tasks", "6", "--max-tokens", "24", "--exact", "--json");
        result.ExitCode.ShouldBe(0, result.Err);
        using var json = JsonDocument.Parse(result.Out);
        var r = json.RootElement;
        var n = r.GetProperty("sequences").GetInt32();
        n.ShouldBeGreaterThanOrEqualTo(6);
        r.GetProperty("template_equal").GetInt32().ShouldBe(n, result.Out);
        r.GetProperty("tokenization_equal").GetInt32().ShouldBe(n, result.Out);
        r.GetProperty("greedy_equal").GetInt32().ShouldBe(n, result.Out);
        r.GetProperty("max_logprob_difference").GetDouble().ShouldBeLessThan(1e-3);
    }

    [LlamaServerFact]
    public void Eval_through_llama_server_gives_the_built_in_engines_episodes()
    {
        using var dir = new TempDirectory();
        var run = micro.Runs[Architecture.Qwen3];
        var gguf = Path.Combine(dir.Path, "m.gguf");
        CliRunner.Run("export", run, "--gguf", gguf).ExitCode.ShouldBe(0);
        using var server = LlamaServer.Start(LlamaServerFactAttribute.Binary, gguf, contextLength: 2048, maxTokens: 32, threads: 1, TimeSpan.FromMinutes(2), exact: true);
        string[] common = ["--env", "arith", "--tasks", "6", "--system-prompt", "none", "--concurrency", "1", "--max-turns", "3"];
        var builtin = CliRunner.Run(["eval", "--model", "builtin:" + run, "--out", Path.Combine(dir.Path, "builtin.db"), .. common]);
        builtin.ExitCode.ShouldBe(0, builtin.Err);
        var llama = CliRunner.Run(["eval", "--model", $"openai:{server.BaseUrl}v1#micro", "--out", Path.Combine(dir.Path, "llama.db"), .. common]);
        llama.ExitCode.ShouldBe(0, llama.Err + server.Log[^Math.Min(2000, server.Log.Length)..]);

        var ours = Episodes(Path.Combine(dir.Path, "builtin.db"));
        var theirs = Episodes(Path.Combine(dir.Path, "llama.db"));
        theirs.Keys.ShouldBe(ours.Keys, ignoreOrder: true);
        // llama-server constrains generation with a grammar once a call has begun, so a call our engine writes malformed
        // comes out well-formed there; every other episode must be the same.
        ours.Values.Count(e => e.MalformedCalls == 0).ShouldBeGreaterThan(0);
        foreach (var (task, e) in ours.Where(kv => kv.Value.MalformedCalls == 0))
        {
            var t = theirs[task];
            (t.Correct, t.Turns, t.ToolCalls, t.MalformedCalls, t.Ending, t.CompletionTokens).ShouldBe((e.Correct, e.Turns, e.ToolCalls, e.MalformedCalls, e.Ending, e.CompletionTokens), task);
        }
    }

    private static Dictionary<string, StoredEpisode> Episodes(string db)
    {
        using var store = ResultsStore.Open(db, mustExist: true);
        return store.Episodes().ToDictionary(e => e.TaskId);
    }
}
