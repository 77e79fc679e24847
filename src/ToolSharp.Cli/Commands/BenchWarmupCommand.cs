using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Training.Benchmarks;
using ToolSharp.Training.Pipeline;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp bench warmup</c>: the copy-transition step of the supervised warm-up over several seeds.</summary>
public static class BenchWarmupCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create(CliContext ctx)
    {
        var seeds = new Option<int?>("--seeds") { Description = "Number of seeds (1, 2, …); default 5." };
        var config = new Option<FileInfo?>("--config", "-c") { Description = "Training config (YAML) whose warm-up runs; default: the embedded default." };
        var set = new Option<string[]>("--set") { Description = "Override a setting, e.g. --set warmup.learning_rate=0.008 (repeatable)." };
        var reference = new Option<string[]>("--reference") { Description = "Also run the same seeds with these overrides on top, as the reference (repeatable), e.g. --reference warmup.copy_drills=null." };
        var margin = new Option<int?>("--margin") { Description = "Steps to train past a seed's transition before stopping it (default 50)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: every config's seeds with transition step, seconds and probe curve." };
        var command = new Command("warmup", Help.WithExamples(
            "When does the warm-up learn to copy? Runs the warm-up of a training config for several seeds and measures the copy " +
            "probe (teacher-forced accuracy on the digits of held-out demonstrations' assistant turns) every warmup.probe_every " +
            "steps; a seed's transition step is the first probe at or above 90%. Each seed stops --margin steps after its " +
            "transition, or at warmup.steps.",
            "toolsharp bench warmup --set threads=1",
            "toolsharp bench warmup --seeds 5 --reference warmup.copy_drills=null --reference warmup.steps=2500",
            "toolsharp bench warmup --set warmup.learning_rate=0.008 --json"))
        {
            seeds, config, set, reference, margin, json,
        };
        command.SetAction((parse, cancellation) =>
        {
            var seedCount = parse.GetValue(seeds) ?? 5;
            if (seedCount < 1) throw new UsageException($"--seeds: expected at least 1, found {seedCount}");
            var seedList = Enumerable.Range(1, seedCount).Select(i => (ulong)i).ToList();
            var overrides = (parse.GetValue(set) ?? []).ToList();
            var path = parse.GetValue(config)?.FullName;
            var configs = new List<(string Name, TrainConfig Config)> { ("config", TrainConfigFile.Load(path, overrides)) };
            if (parse.GetValue(reference) is { Length: > 0 } extra)
                configs.Add(("reference", TrainConfigFile.Load(path, overrides.Concat(extra))));

            var results = new List<(string Name, IReadOnlyList<WarmupSeedResult> Seeds)>();
            foreach (var (name, c) in configs)
            {
                ctx.Err.WriteLine($"{name}: {c.Environment}, {c.Model}, warm-up of up to {c.Warmup.Steps} steps, seeds 1-{seedCount}");
                var bench = new WarmupBenchmark(c, seedList)
                {
                    Margin = parse.GetValue(margin) ?? 50,
                    OnProbe = (seed, m) => ctx.Err.WriteLine(FormattableString.Invariant(
                        $"  {name} seed {seed}: step {m.Step} loss {m.Loss:F3} copy accuracy {m.CopyAccuracy:P1} ({m.Seconds:F0} s)")),
                };
                results.Add((name, bench.Run(cancellation)));
            }
            if (parse.GetValue(json))
                ctx.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    configs = results.Select(r => new { name = r.Name, seeds = r.Seeds }),
                    median_transition_ratio = Ratio(results),
                }, Json));
            else ctx.Out.Write(Markdown(results));
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>The reference's median transition step over the config's (null without a reference or when either has a seed that never crossed).</summary>
    private static double? Ratio(List<(string Name, IReadOnlyList<WarmupSeedResult> Seeds)> results) =>
        results.Count == 2 && Median(results[0].Seeds) is { } a && Median(results[1].Seeds) is { } b ? Math.Round(b / a, 2) : null;

    private static double? Median(IReadOnlyList<WarmupSeedResult> seeds)
    {
        if (seeds.Any(s => s.TransitionStep is null)) return null;
        var sorted = seeds.Select(s => (double)s.TransitionStep!.Value).Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    internal static string Markdown(List<(string Name, IReadOnlyList<WarmupSeedResult> Seeds)> results)
    {
        var text = new StringBuilder();
        text.AppendLine("| config | seed | copy transition (step) | training s to transition | s/step | copy accuracy at stop (step) |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var (name, seeds) in results)
            foreach (var s in seeds)
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {s.Seed} | {(s.TransitionStep?.ToString(CultureInfo.InvariantCulture) ?? $"none by {s.StepsRun}")} | {(s.SecondsToTransition is { } t ? t.ToString("F0", CultureInfo.InvariantCulture) : "-")} | {s.SecondsPerStep:F3} | {s.FinalCopyAccuracy:P1} ({s.StepsRun}) |"));
        foreach (var (name, seeds) in results)
        {
            var crossed = seeds.Where(s => s.TransitionStep is not null).Select(s => s.TransitionStep!.Value).ToList();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {crossed.Count}/{seeds.Count} seeds crossed; median step {(Median(seeds) is { } m ? m.ToString("F0", CultureInfo.InvariantCulture) : "n/a")}, latest {(crossed.Count == seeds.Count ? crossed.Max().ToString(CultureInfo.InvariantCulture) : "n/a")}"));
        }
        if (Ratio(results) is { } r) text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"reference / config median transition step: {r:F2}x"));
        return text.ToString();
    }
}
