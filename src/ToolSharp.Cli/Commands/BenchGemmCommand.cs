using System.CommandLine;
using System.Globalization;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Core.Json;
using ToolSharp.Models.Benchmarks;
using ToolSharp.Models.Configuration;
using ToolSharp.Tensors.Kernels;
using ToolSharp.Tensors.Native;
using ToolSharp.Text.Builtin;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp bench gemm</c>: GFLOP/s of the managed kernels and OpenBLAS on the models' own matrix shapes, in one run.</summary>
public static class BenchGemmCommand
{
    public static Command Create(CliContext ctx)
    {
        var model = new Option<string>("--model") { Description = "Presets whose shapes to measure: tiny, small or all.", DefaultValueFactory = _ => "all" };
        var threads = new Option<string>("--threads") { Description = "Comma-separated thread counts (default: 1 and all cores).", DefaultValueFactory = _ => "" };
        var rows = new Option<int>("--rows") { Description = "Tokens per training batch (rows of the projections), as bench engine's 8 × 256.", DefaultValueFactory = _ => 2048 };
        var seq = new Option<int>("--seq") { Description = "Tokens per sequence, for the attention shapes.", DefaultValueFactory = _ => 256 };
        var batches = new Option<int>("--batches") { Description = "Timed batches per shape and backend (the best is reported).", DefaultValueFactory = _ => 7 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with every number." };
        var command = new Command("gemm", Help.WithExamples(
            "GFLOP/s of the managed GEMM and of OpenBLAS (when it loads) on the shapes the tiny and small presets run: forward " +
            "projections, both backward products, attention's per-head products and decoding with 1–8 rows, at each thread count, " +
            "alternating between the two in the same run; prints managed/OpenBLAS per shape and overall (geometric mean and FLOP-weighted).",
            "toolsharp bench gemm",
            "toolsharp bench gemm --model tiny --threads 1 --json"))
        {
            model, threads, rows, seq, batches, json,
        };
        command.SetAction(parse =>
        {
            var presets = parse.GetValue(model) switch
            {
                "all" => ModelPresets.Names.ToArray(),
                var name when ModelPresets.Names.Contains(name) => [name!],
                var name => throw new UsageException($"--model '{name}': expected all or one of {string.Join(", ", ModelPresets.Names)}"),
            };
            var threadCounts = ParseThreads(parse.GetValue(threads)!);
            var shapes = presets.SelectMany(p => GemmShapes.For(p, ModelPresets.Get(p, BuiltinTokenizer.Size), parse.GetValue(rows), parse.GetValue(seq))).ToList();
            var withBlas = OpenBlas.IsAvailable;
            ctx.Err.WriteLine(withBlas
                ? $"measuring {shapes.Count} shapes: managed ({GemmSimdSupport.Best}) and OpenBLAS ({OpenBlas.LibraryPath}), threads {string.Join(", ", threadCounts)}"
                : $"measuring {shapes.Count} shapes: managed ({GemmSimdSupport.Best}) only, OpenBLAS not found; threads {string.Join(", ", threadCounts)}");
            var before = EngineThreads.Count;
            var timings = new List<GemmTiming>();
            try
            {
                foreach (var t in threadCounts)
                    foreach (var shape in shapes.Where(s => t == 1 || !s.SingleThreaded))
                        timings.Add(GemmBenchmark.Measure(shape, t, withBlas, Math.Max(1, parse.GetValue(batches))));
            }
            finally
            {
                EngineThreads.Set(before);
            }
            var summaries = threadCounts.Select(t => Summarise(timings.Where(x => x.Threads == t).ToList(), t)).ToList();
            if (parse.GetValue(json)) ctx.Out.WriteLine(Json(timings, summaries, withBlas));
            else Table(ctx, timings, summaries, withBlas);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Per thread count: managed/OpenBLAS as the geometric mean of the per-shape ratios and as total FLOPs over total time.</summary>
    private sealed record Summary(int Threads, double ManagedGflops, double? OpenBlasGflops, double? GeometricMeanRatio, double? FlopWeightedRatio);

    private static Summary Summarise(List<GemmTiming> timings, int threads)
    {
        var flops = timings.Sum(t => t.Shape.Flops);
        var managed = flops / timings.Sum(t => t.ManagedSeconds) / 1e9;
        if (timings.Any(t => t.OpenBlasSeconds is null)) return new Summary(threads, managed, null, null, null);
        var blas = flops / timings.Sum(t => t.OpenBlasSeconds!.Value) / 1e9;
        var geo = Math.Exp(timings.Average(t => Math.Log(t.Ratio!.Value)));
        return new Summary(threads, managed, blas, geo, managed / blas);
    }

    private static int[] ParseThreads(string text) => string.IsNullOrWhiteSpace(text)
        ? new[] { 1, Environment.ProcessorCount }.Distinct().ToArray()
        : IntegerList.Parse(text, "--threads");

    private static string Json(List<GemmTiming> timings, List<Summary> summaries, bool withBlas) =>
        JsonValues.ToCompact(JsonValues.Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("managed_simd", GemmSimdSupport.Best.ToString());
            if (withBlas) w.WriteString("openblas", OpenBlas.LibraryPath);
            else w.WriteNull("openblas");
            w.WriteStartArray("shapes");
            foreach (var t in timings)
            {
                var s = t.Shape;
                w.WriteStartObject();
                w.WriteString("model", s.Model);
                w.WriteString("pass", s.Pass);
                w.WriteString("name", s.Name);
                w.WriteBoolean("trans_a", s.TransA);
                w.WriteBoolean("trans_b", s.TransB);
                w.WriteNumber("m", s.M);
                w.WriteNumber("n", s.N);
                w.WriteNumber("k", s.K);
                w.WriteNumber("threads", t.Threads);
                w.WriteNumber("managed_gflops", Math.Round(t.ManagedGflops, 2));
                Nullable(w, "openblas_gflops", t.OpenBlasGflops, 2);
                Nullable(w, "ratio", t.Ratio, 3);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("summary");
            foreach (var s in summaries)
            {
                w.WriteStartObject();
                w.WriteNumber("threads", s.Threads);
                w.WriteNumber("managed_gflops", Math.Round(s.ManagedGflops, 2));
                Nullable(w, "openblas_gflops", s.OpenBlasGflops, 2);
                Nullable(w, "geomean_ratio", s.GeometricMeanRatio, 3);
                Nullable(w, "flop_weighted_ratio", s.FlopWeightedRatio, 3);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }));

    private static void Nullable(System.Text.Json.Utf8JsonWriter w, string name, double? value, int digits)
    {
        if (value is { } v) w.WriteNumber(name, Math.Round(v, digits));
        else w.WriteNull(name);
    }

    /// <summary>One aligned line per shape (names last, as they vary in length), then one summary line per thread count.</summary>
    private static void Table(CliContext ctx, List<GemmTiming> timings, List<Summary> summaries, bool withBlas)
    {
        string F(double? v, string format = "F1") => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "–";
        ctx.Out.WriteLine($"{"model",-6} {"pass",-12} {"op",-5} {"m×n×k",-15} {"threads",7} {"managed",8} {"OpenBLAS",8} {"ratio",6}  products");
        foreach (var t in timings)
        {
            var s = t.Shape;
            ctx.Out.WriteLine($"{s.Model,-6} {s.Pass,-12} {s.Operation,-5} {$"{s.M}×{s.N}×{s.K}",-15} {t.Threads,7} {F(t.ManagedGflops),8} {F(t.OpenBlasGflops),8} {F(t.Ratio, "F2"),6}  {s.Name}");
        }
        ctx.Out.WriteLine("GFLOP/s (best of the timed batches); ratio = managed / OpenBLAS, above 1 the managed kernels are faster");
        foreach (var s in summaries)
        {
            ctx.Out.WriteLine(withBlas
                ? $"{s.Threads} thread(s), all shapes: managed {F(s.ManagedGflops)} GFLOP/s, OpenBLAS {F(s.OpenBlasGflops)} GFLOP/s; managed / OpenBLAS {F(s.GeometricMeanRatio, "F2")} (geometric mean), {F(s.FlopWeightedRatio, "F2")} (FLOP-weighted)"
                : $"{s.Threads} thread(s), all shapes: managed {F(s.ManagedGflops)} GFLOP/s (OpenBLAS not found, no ratios)");
        }
        ctx.Out.WriteLine(withBlas ? $"managed {GemmSimdSupport.Best}, OpenBLAS {OpenBlas.LibraryPath}" : $"managed {GemmSimdSupport.Best}");
    }
}
