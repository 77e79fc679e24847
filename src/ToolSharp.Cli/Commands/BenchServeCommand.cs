using System.CommandLine;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Core.Json;
using ToolSharp.Models;
using ToolSharp.Models.Configuration;
using ToolSharp.Models.Generation;
using ToolSharp.Serving;
using ToolSharp.Serving.Benchmarks;
using ToolSharp.Tensors.Kernels;
using ToolSharp.Text.Builtin;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp bench serve</c>: tokens/s of <c>toolsharp serve</c> at several concurrencies, against the engine's own batched sampler in the same run.</summary>
public static class BenchServeCommand
{
    public static Command Create(CliContext ctx)
    {
        var model = new Option<string?>("--model", "-m") { Description = "builtin:DIR or a run directory to serve (default: a randomly initialised model of --preset)." };
        var preset = new Option<string>("--preset") { Description = "Built-in preset for the random model when --model is not given (tiny, small).", DefaultValueFactory = _ => "tiny" };
        var streams = new Option<string>("--streams") { Description = "Comma-separated concurrent stream counts.", DefaultValueFactory = _ => "1,4,16" };
        var maxTokens = new Option<int>("--max-tokens") { Description = "max_tokens of every request.", DefaultValueFactory = _ => 128 };
        var requests = new Option<int>("--requests") { Description = "Requests each stream sends, one after another.", DefaultValueFactory = _ => 16 };
        var threads = new Option<int>("--threads") { Description = "Engine threads (0 = all cores).", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with every number." };
        var command = new Command("serve", Help.WithExamples(
            "Throughput of the OpenAI-compatible server: N concurrent streams each send greedy chat completions (stream: true, " +
            "distinct short questions) one after another to `toolsharp serve` on a loopback port, and the same prompts run " +
            "through the engine's batched sampler (all streams in one batch, no server) and through the continuous batcher " +
            "in-process, in the same run. Prints generated tokens/s of each path and server/engine, so the server's overhead " +
            "(HTTP, JSON, SSE, scheduling) is visible.",
            "toolsharp bench serve",
            "toolsharp bench serve -m builtin:runs/arith --streams 1,8 --json"))
        {
            model, preset, streams, maxTokens, requests, threads, json,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var counts = ParseCounts(parse.GetValue(streams)!);
            if (parse.GetValue(maxTokens) < 1) throw new UsageException($"--max-tokens: expected at least 1, found {parse.GetValue(maxTokens)}");
            if (parse.GetValue(requests) < 1) throw new UsageException($"--requests: expected at least 1, found {parse.GetValue(requests)}");
            var threadCount = parse.GetValue(threads) is > 0 and var t ? t : Environment.ProcessorCount;
            EngineThreads.Set(threadCount);
            var batching = new BatcherOptions(MaxBatch: Math.Max(16, counts.Max()), MaxQueue: 64);
            string? temp = null;
            try
            {
                var spec = parse.GetValue(model);
                if (spec is null)
                {
                    var name = parse.GetValue(preset)!;
                    if (!ModelPresets.Names.Contains(name)) throw new UsageException($"--preset '{name}': expected one of {string.Join(", ", ModelPresets.Names)}");
                    temp = Directory.CreateTempSubdirectory("toolsharp-bench-serve-").FullName;
                    spec = Path.Combine(temp, $"random-{name}");
                    Transformer.Create(ModelPresets.Get(name, BuiltinTokenizer.Size), 1).Save(spec);
                }
                using var served = ServedModel.Load(spec, batching);
                ctx.Err.WriteLine($"serving {served.Name} on loopback (GEMM {Gemm.Describe()}, {threadCount} threads): streams {string.Join(", ", counts)}, " +
                                  $"{parse.GetValue(requests)} requests each, max_tokens {parse.GetValue(maxTokens)}");
                var bench = new ServingBenchmark(served, parse.GetValue(maxTokens), parse.GetValue(requests)) { OnProgress = line => ctx.Err.WriteLine("  " + line) };
                var results = await bench.RunAsync(counts, cancellation);
                if (parse.GetValue(json)) ctx.Out.WriteLine(Json(served.Name, threadCount, parse.GetValue(maxTokens), results));
                else Table(ctx, results);
            }
            finally
            {
                if (temp is not null) Directory.Delete(temp, recursive: true);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static int[] ParseCounts(string text) => IntegerList.Parse(text, "--streams", max: 64) is { Length: > 0 } counts
        ? counts
        : throw new UsageException("--streams: expected at least one count");

    private static void Table(CliContext ctx, IReadOnlyList<ServingThroughput> results)
    {
        ctx.Out.WriteLine("| streams | requests | engine batched (tokens/s) | batcher in-process (tokens/s) | server over HTTP (tokens/s) | server / engine |");
        ctx.Out.WriteLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var r in results)
            ctx.Out.WriteLine(FormattableString.Invariant(
                $"| {r.Streams} | {r.TotalRequests} | {r.Engine.TokensPerSecond:F0} | {r.Batcher.TokensPerSecond:F0} | {r.Server.TokensPerSecond:F0} | {r.ServerVsEngine:F2}× |"));
    }

    private static string Json(string name, int threads, int maxTokens, IReadOnlyList<ServingThroughput> results) =>
        JsonValues.ToCompact(JsonValues.Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("model", name);
            w.WriteString("blas", Gemm.ActiveName);
            w.WriteNumber("threads", threads);
            w.WriteNumber("max_tokens", maxTokens);
            w.WriteStartArray("results");
            foreach (var r in results)
            {
                w.WriteStartObject();
                w.WriteNumber("streams", r.Streams);
                w.WriteNumber("requests", r.TotalRequests);
                foreach (var (key, path) in new[] { ("engine", r.Engine), ("batcher", r.Batcher), ("server", r.Server) })
                {
                    w.WriteStartObject(key);
                    w.WriteNumber("tokens", path.Tokens);
                    w.WriteNumber("seconds", Math.Round(path.Seconds, 3));
                    w.WriteNumber("tokens_per_second", Math.Round(path.TokensPerSecond, 1));
                    w.WriteEndObject();
                }
                w.WriteNumber("server_vs_engine", Math.Round(r.ServerVsEngine, 3));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }));
}
