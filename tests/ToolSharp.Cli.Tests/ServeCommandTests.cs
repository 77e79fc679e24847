using ToolSharp.Evaluation.Store;
using ToolSharp.Models;
using ToolSharp.Models.Configuration;
using ToolSharp.Serving;
using ToolSharp.Testing;
using ToolSharp.Text.Builtin;

namespace ToolSharp.Cli.Tests;

/// <summary><c>toolsharp serve</c>: its options, and evaluation through it equal to evaluation of the built-in model.</summary>
[Collection("EngineThreads")]
public class ServeCommandTests
{
    private const string Env = "arith:levels=1,digits=1-1";

    [Fact]
    public void Serve_refuses_bad_options_in_one_line()
    {
        using var dir = new TempDirectory();
        var port = CliRunner.Run("serve", "--model", dir.Path, "--port", "70000");
        port.ExitCode.ShouldBe(2);
        port.Err.ShouldContain("--port");
        var missing = CliRunner.Run("serve", "--model", "builtin:" + Path.Combine(dir.Path, "nope"), "--port", "0");
        missing.ExitCode.ShouldBe(1);
        missing.Err.Trim().Split('\n').Length.ShouldBe(1);
        missing.Err.ShouldContain("no such run or checkpoint directory");
    }

    /// <summary>A micro model warmed up on the very tasks evaluated, so greedy decoding solves some and fails others.</summary>
    private static string WarmedRun(TempDirectory dir)
    {
        var model = Path.Combine(dir.Path, "micro");
        Transformer.Create(ModelPresets.Tiny(BuiltinTokenizer.Size) with { HiddenSize = 64, NumLayers = 2, NumHeads = 2, NumKvHeads = 1, HeadDim = 32, IntermediateSize = 128 }, 5).Save(model);
        var run = Path.Combine(dir.Path, "run");
        var train = CliRunner.Run("train", "--out", run, "--model", model, "--env", Env, "--set", "threads=1",
            "--set", "warmup.demonstrations=10", "--set", "warmup.steps=100", "--set", "warmup.batch_tokens=1024", "--set", "warmup.learning_rate=0.01", "--set", "warmup.copy_drills=null",
            "--set", "warmup.checkpoint_every=0", "--set", "rl.train_split=test", "--set", "rl.steps=0", "--set", "rl.validation_tasks=2",
            "--set", "rl.rollout.max_new_tokens_per_turn=64", "--set", "rl.rollout.max_total_tokens=512");
        train.ExitCode.ShouldBe(0, train.Err);
        return run;
    }

    [Fact]
    public async Task Eval_through_the_server_gives_the_built_in_models_episodes()
    {
        using var dir = new TempDirectory();
        var run = WarmedRun(dir);
        // As training validated it: no system prompt (the warm-up saw none).
        string[] common = ["--env", Env, "--system-prompt", "none", "--tasks", "10", "--concurrency", "4"];
        var builtin = CliRunner.Run(["eval", "--model", "builtin:" + run, "--out", Path.Combine(dir.Path, "builtin.db"), .. common]);
        builtin.ExitCode.ShouldBe(0, builtin.Err);

        using var served = ServedModel.Load(run);
        await using var server = await OpenAiServer.StartAsync(served, new ServerOptions(Port: 0));
        var url = server.BaseAddress.AbsoluteUri.TrimEnd('/');
        // The endpoint default (1,024 tokens a turn) is not the checkpoint's: ask for the checkpoint's.
        var viaServer = CliRunner.Run(["eval", "--model", $"openai:{url}#{served.Name}", "--max-tokens", served.Defaults.MaxNewTokens.ToString(), "--out", Path.Combine(dir.Path, "served.db"), .. common]);
        viaServer.ExitCode.ShouldBe(0, viaServer.Err);

        var ours = Episodes(Path.Combine(dir.Path, "builtin.db"));
        var theirs = Episodes(Path.Combine(dir.Path, "served.db"));
        theirs.Keys.ShouldBe(ours.Keys, ignoreOrder: true);
        // A call the engine cannot read is fed back to the model as an error (or, in a cut turn, counted and dropped); a
        // server can only return its text (as vLLM and llama-server do). Episodes whose calls all parsed must agree exactly.
        var parsed = ours.Where(e => e.Value.MalformedCalls == 0 && CallsIn(e.Value.Transcript!.Value) == e.Value.ToolCalls).ToDictionary();
        parsed.Values.Count(e => e.Correct).ShouldBeGreaterThan(0, "the warm-up should solve some tasks");
        parsed.Values.Count(e => e.ToolCalls > 0).ShouldBeGreaterThan(0, "the warm-up should make calls");
        foreach (var (task, e) in parsed)
        {
            var t = theirs[task];
            (t.Correct, t.Turns, t.ToolCalls, t.MalformedCalls, t.Ending, t.CompletionTokens).ShouldBe((e.Correct, e.Turns, e.ToolCalls, e.MalformedCalls, e.Ending, e.CompletionTokens), task);
            t.Transcript!.Value.GetRawText().ShouldBe(e.Transcript!.Value.GetRawText(), task);
        }
    }

    private static int CallsIn(System.Text.Json.JsonElement transcript) =>
        transcript.GetProperty("messages").EnumerateArray()
            .Sum(m => m.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == System.Text.Json.JsonValueKind.Array ? calls.GetArrayLength() : 0);

    private static Dictionary<string, StoredEpisode> Episodes(string db)
    {
        using var store = ResultsStore.Open(db, mustExist: true);
        var lines = new StringWriter();
        store.ExportJsonl(lines);
        // Transcripts come with the JSONL export.
        return lines.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.Json.JsonSerializer.Deserialize<StoredEpisode>(l, new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower })!)
            .ToDictionary(e => e.TaskId);
    }
}
