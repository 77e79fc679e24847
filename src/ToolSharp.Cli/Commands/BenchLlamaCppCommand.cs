using ToolSharp.Environments.Catalog;
using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Cli.LlamaCpp;
using ToolSharp.Environments.Episodes;
using ToolSharp.Evaluation.Sweeps;
using ToolSharp.Models.Export;
using ToolSharp.Tensors.Kernels;
using ToolSharp.Text.Builtin;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp bench llamacpp</c>: the built-in engine against the same model's GGUF in llama.cpp's llama-server.</summary>
public static class BenchLlamaCppCommand
{
    public static Command Create(CliContext ctx)
    {
        var run = new Option<string>("--run") { Description = "The run (or checkpoint) directory whose model is compared.", Required = true };
        var server = new Option<string?>("--server") { Description = "A running llama-server (e.g. http://127.0.0.1:8080) that serves this run's GGUF with --jinja." };
        var binary = new Option<string?>("--llama-server") { Description = "Start this llama-server binary on a free loopback port with a GGUF exported now (tools/llama-cpp/build-llama-server.sh builds one)." };
        var dtype = new Option<string>("--dtype") { Description = "GGUF weight format when exporting: f32 or f16.", DefaultValueFactory = _ => "f32" };
        var env = new Option<string>("--env") { Description = "Environment whose tasks give the prompts.", DefaultValueFactory = _ => "arith" };
        var split = new Option<string>("--split") { Description = "Split the tasks come from.", DefaultValueFactory = _ => "test" };
        var tasks = new Option<int>("--tasks", "-n") { Description = "Number of tasks (the first ones of the split).", DefaultValueFactory = _ => 64 };
        var prompt = new Option<string>("--system-prompt") { Description = $"System prompt ({SystemPrompts.Names}) or a text file, as for eval.", DefaultValueFactory = _ => "none" };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Tokens generated per turn at most (also the server's default -n when started here).", DefaultValueFactory = _ => 256 };
        var threads = new Option<int>("--threads") { Description = "Threads for both engines (0 = all cores).", DefaultValueFactory = _ => 1 };
        var exact = new Option<bool>("--exact") { Description = "With --llama-server: start it with attention and KV cache in f32 (-fa off -ctk f32 -ctv f32) instead of llama.cpp's f16 defaults." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with every number and each differing sequence." };
        var command = new Command("llamacpp", Help.WithExamples(
            "Compare the built-in engine with llama.cpp on the same model: for each task, llama-server's rendering of the GGUF's chat template " +
            "(/apply-template) against BuiltinChatFormat, its tokenisation (/tokenize) against the built-in tokenizer, and greedy tokens from the " +
            "same token prompt (/completion) against the built-in engine's, for the first turn and, when it calls tools, the second. " +
            "Counts equal, prints the first difference, and the largest log-prob difference on identical tokens.",
            "toolsharp bench llamacpp --run runs/arith --llama-server ~/.cache/toolsharp/llama-cpp/bin/llama-server",
            "toolsharp bench llamacpp --run runs/arith --llama-server ~/.cache/toolsharp/llama-cpp/bin/llama-server --exact --dtype f32",
            "toolsharp bench llamacpp --run runs/arith --server http://127.0.0.1:8080 --tasks 16 --json"))
        {
            run, server, binary, dtype, env, split, tasks, prompt, maxTokens, threads, exact, json,
        };
        command.SetAction(parse =>
        {
            var url = parse.GetValue(server);
            var bin = parse.GetValue(binary);
            if ((url is null) == (bin is null)) throw new UsageException("give either --server URL or --llama-server BINARY");
            var threadCount = parse.GetValue(threads) is > 0 and var t ? t : Environment.ProcessorCount;
            EngineThreads.Set(threadCount);
            var source = ExportSource.Load(parse.GetValue(run)!);
            var environment = EnvironmentCatalog.Create(parse.GetValue(env)!);
            var instructions = SystemPrompts.FromNameOrFile(parse.GetValue(prompt)!).Resolve(environment.DefaultInstructions);
            var max = parse.GetValue(maxTokens);

            var temp = Directory.CreateTempSubdirectory("toolsharp-llamacpp-").FullName;
            try
            {
                LlamaServer llama;
                if (bin is not null)
                {
                    var gguf = Path.Combine(temp, "model.gguf");
                    GgufExport.Write(source, gguf, ExportDTypes.Parse(parse.GetValue(dtype)!));
                    ctx.Err.WriteLine($"starting {bin} on {gguf}");
                    llama = LlamaServer.Start(bin, gguf, source.Config.MaxPositionEmbeddings, max, threadCount, TimeSpan.FromMinutes(2), parse.GetValue(exact));
                }
                else llama = LlamaServer.Attach(new Uri(url!));
                using (llama)
                {
                    var report = LlamaCppComparison.Run(source.Model, llama, environment, parse.GetValue(split)!, parse.GetValue(tasks), instructions, max, ctx.Err.WriteLine);
                    if (parse.GetValue(json)) ctx.Out.WriteLine(Json(report));
                    else Print(ctx, report);
                }
            }
            finally
            {
                Directory.Delete(temp, recursive: true);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Print(CliContext ctx, LlamaCppComparison.Report r)
    {
        var n = r.Sequences.Count;
        ctx.Out.WriteLine($"prompts (first turns and tool-result turns): {n}");
        ctx.Out.WriteLine($"chat template rendered identically by llama.cpp: {r.TemplateEqual}/{n}");
        ctx.Out.WriteLine($"prompt tokenised identically by llama.cpp:      {r.TokenizationEqual}/{n}");
        ctx.Out.WriteLine($"greedy continuations identical:                 {r.GreedyEqual}/{n} ({r.TokensCompared} tokens compared)");
        ctx.Out.WriteLine($"|log p difference| on identical tokens:         median {r.MedianLogProbDifference:G3}, max {r.MaxLogProbDifference:G3}");
        var t = BuiltinTokenizer.Instance;
        var quoted = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        foreach (var s in r.Sequences.Where(s => s.FirstDifference >= 0).Take(5))
        {
            var k = s.FirstDifference;
            string Tok(int[] ids) => k < ids.Length ? JsonSerializer.Serialize(t.Decode([ids[k]]), quoted) : "(end)";
            if (s.Error is not null) ctx.Out.WriteLine($"  {s.TaskId} turn {s.Turn}: {s.Error}");
            else ctx.Out.WriteLine($"  {s.TaskId} turn {s.Turn}: first difference at token {k}: ours {Tok(s.Ours)}, llama.cpp {Tok(s.Theirs)} after {JsonSerializer.Serialize(t.Decode(s.Ours[..Math.Min(k, s.Ours.Length)]), quoted)}");
        }
    }

    private static JsonObject? Worst(LlamaCppComparison.Report r)
    {
        var t = BuiltinTokenizer.Instance;
        var all = r.LogProbComparisons;
        if (all.Count == 0) return null;
        var (seq, index, _) = all.MaxBy(x => x.Difference);
        return new JsonObject
        {
            ["task"] = seq.TaskId,
            ["turn"] = seq.Turn,
            ["index"] = index,
            ["token"] = t.Decode([seq.Ours[index]]),
            ["ours"] = seq.OurLogProbs[index],
            ["llama_cpp"] = seq.TheirLogProbs[index],
        };
    }

    private static string Json(LlamaCppComparison.Report r)
    {
        var t = BuiltinTokenizer.Instance;
        var o = new JsonObject
        {
            ["sequences"] = r.Sequences.Count,
            ["template_equal"] = r.TemplateEqual,
            ["tokenization_equal"] = r.TokenizationEqual,
            ["greedy_equal"] = r.GreedyEqual,
            ["tokens_compared"] = r.TokensCompared,
            ["max_logprob_difference"] = r.MaxLogProbDifference,
            ["median_logprob_difference"] = r.MedianLogProbDifference,
            ["all_equal"] = r.AllEqual,
            ["worst_logprob"] = Worst(r),
            ["differences"] = new JsonArray(r.Sequences.Where(s => !s.TemplateEqual || !s.TokensEqual || s.FirstDifference >= 0).Select(s => (JsonNode)new JsonObject
            {
                ["task"] = s.TaskId,
                ["turn"] = s.Turn,
                ["template_equal"] = s.TemplateEqual,
                ["tokenization_equal"] = s.TokensEqual,
                ["first_difference"] = s.FirstDifference,
                ["ours"] = t.Decode(s.Ours),
                ["llama_cpp"] = t.Decode(s.Theirs),
                ["error"] = s.Error,
            }).ToArray()),
        };
        return o.ToJsonString();
    }
}
