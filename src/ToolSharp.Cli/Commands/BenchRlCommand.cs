using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Cli.Reports;
using ToolSharp.Core.Json;
using ToolSharp.Training.Benchmarks;
using ToolSharp.Training.Pipeline;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp bench rl</c>: the RL efficiency ablation (GRPO vs prompt filter vs down-sampling vs both vs DAPO).</summary>
public static class BenchRlCommand
{
    public static Command Create(CliContext ctx)
    {
        var quick = new Option<bool>("--quick") { Description = "Fewer RL steps and validation tasks (same methods); about 20 minutes on two cores." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: methods with time to target, final accuracy and CI, speedups." };
        var output = new Option<string?>("--out", "-o") { Description = "Directory for the runs, ablation.json, ablation.md, ablation.html (report with curves) and ablation.svg (default runs/bench-rl[-quick]); re-running resumes." };
        var seeds = new Option<int?>("--seeds") { Description = "Number of seeds (1, 2, …); default 3." };
        var target = new Option<double?>("--target") { Description = "Target validation accuracy for time-to-target (default: 95% of GRPO's mean final accuracy)." };
        var config = new Option<FileInfo?>("--config", "-c") { Description = "Base training config (YAML) every method starts from." };
        var set = new Option<string[]>("--set") { Description = "Override a base setting, e.g. --set rl.steps=30 (repeatable)." };
        var from = new Option<string?>("--from") { Description = "Start every run from this warmed-up model (e.g. a toolsharp train run directory) instead of running the warm-up." };
        var methodsOption = new Option<string?>("--methods") { Description = "Comma-separated subset of: grpo, filter, downsample, filter+downsample, dapo, arpo, tao, otc (grpo always runs first)." };
        var command = new Command("rl", Help.WithExamples(
            "Ablation of the RL efficiency techniques on the same warmed-up model, environment and seeds: vanilla GRPO, " +
            "+ pre-rollout prompt filtering, + max-variance rollout down-sampling, both, DAPO dynamic sampling, and the agentic " +
            "methods ARPO, TAO-RL and OTC. Reports " +
            "RL wall-clock to a target validation accuracy, final accuracy with a 95% CI over seeds, and speedups over GRPO.",
            "toolsharp bench rl --quick",
            "toolsharp bench rl --quick --json",
            "toolsharp bench rl --seeds 5 --set rl.steps=80 --out runs/ablation",
            "toolsharp bench rl --methods grpo,filter+downsample --target 0.6",
            "toolsharp bench rl --from runs/arith --seeds 5"))
        {
            quick, json, output, seeds, target, config, set, from, methodsOption,
        };
        command.SetAction((parse, cancellation) =>
        {
            var isQuick = parse.GetValue(quick);
            var overrides = DefaultOverrides(isQuick).Concat(parse.GetValue(set) ?? []).ToList();
            var baseConfig = TrainConfigFile.Load(parse.GetValue(config)?.FullName, overrides);
            var all = AblationMethod.Standard(updateRollouts: Math.Max(2, baseConfig.Rl.RolloutsPerPrompt / 2), solvedStreak: 1)
                .Concat(AblationMethod.Agentic(baseConfig.Rl.RolloutsPerPrompt)).ToList();
            var methods = SelectMethods(all, parse.GetValue(methodsOption));
            var seedCount = parse.GetValue(seeds) ?? 3;
            if (seedCount < 1) throw new UsageException($"--seeds: expected at least 1, found {seedCount}");
            var seedList = Enumerable.Range(1, seedCount).Select(i => (ulong)i).ToList();
            var dir = parse.GetValue(output) ?? Path.Combine("runs", isQuick ? "bench-rl-quick" : "bench-rl");

            var ablation = new RlAblation(baseConfig, methods, seedList, dir)
            {
                TargetAccuracy = parse.GetValue(target),
                StartFrom = parse.GetValue(from) is { } f ? Path.GetFullPath(f) : null,
                OnStatus = line => ctx.Err.WriteLine(line),
                OnStep = (method, seed, m) =>
                {
                    if (m.Step % 5 == 0 || m.ValidationAccuracy is not null)
                        ctx.Err.WriteLine($"  {method} seed {seed}: {TrainCommand.StepLine(m, baseConfig.Rl.Steps)}");
                },
            };
            var report = ablation.Run(cancellation);
            var jsonText = ToJson(report);
            File.WriteAllText(Path.Combine(dir, "ablation.json"), jsonText + "\n");
            File.WriteAllText(Path.Combine(dir, "ablation.svg"), AblationReportPage.AccuracySvg(report));
            File.WriteAllText(Path.Combine(dir, "ablation.html"), AblationReportPage.Html(report));
            File.WriteAllText(Path.Combine(dir, "ablation.md"), AblationTable.Markdown(report));
            if (parse.GetValue(json)) ctx.Out.WriteLine(jsonText);
            else
            {
                ctx.Out.Write(AblationTable.Markdown(report));
                ctx.Out.WriteLine($"report: {Path.Combine(dir, "ablation.html")} (plot: {Path.Combine(dir, "ablation.svg")})");
            }
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>The bench's base settings before the user's overrides: short, frequent validation so time-to-target resolves.</summary>
    private static IEnumerable<string> DefaultOverrides(bool quick) => quick
        // A small prompt pool makes several epochs fit in the run, which is where the pre-rollout filter acts.
        ? ["rl.steps=10", "rl.prompt_pool=32", "rl.validate_every=5", "rl.validation_tasks=48", "rl.checkpoint_every=5"]
        : ["rl.steps=16", "rl.prompt_pool=32", "rl.validate_every=4", "rl.validation_tasks=96", "rl.checkpoint_every=4"];

    private static IReadOnlyList<AblationMethod> SelectMethods(IReadOnlyList<AblationMethod> all, string? names)
    {
        if (string.IsNullOrWhiteSpace(names)) return all;
        var wanted = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var unknown = wanted.Where(w => all.All(m => m.Name != w)).ToList();
        if (unknown.Count > 0) throw new UsageException($"--methods: unknown {string.Join(", ", unknown)} (expected: {string.Join(", ", all.Select(m => m.Name))})");
        return all.Where(m => m.Name == "grpo" || wanted.Contains(m.Name)).ToList();
    }

    internal static string ToJson(AblationReport report) => JsonValues.ToCompact(JsonValues.Build(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("methods");
        foreach (var m in report.Methods)
        {
            w.WriteStartObject();
            w.WriteString("name", m.Name);
            w.WriteNumber("seeds", m.Seeds);
            WriteNullable(w, "time_to_target_s", m.TimeToTargetS, 1);
            w.WriteNumber("seeds_reaching_target", m.SeedsReachingTarget);
            w.WriteNumber("final_accuracy", Math.Round(m.FinalAccuracy, 4));
            w.WriteStartArray("final_accuracy_ci");
            w.WriteNumberValue(Math.Round(m.FinalAccuracyCi.Low, 4));
            w.WriteNumberValue(Math.Round(m.FinalAccuracyCi.High, 4));
            w.WriteEndArray();
            WriteNullable(w, "speedup_vs_grpo", m.SpeedupVsGrpo, 3);
            w.WriteNumber("rl_training_s", Math.Round(m.TrainingSeconds, 1));
            w.WriteNumber("prompts_skipped", Math.Round(m.PromptsSkipped, 1));
            w.WriteNumber("rollouts_trained_fraction", Math.Round(m.RolloutsTrainedFraction, 3));
            w.WriteNumber("tool_calls_per_rollout", Math.Round(m.ToolCallsPerRollout, 3));
            w.WriteNumber("tool_calls_per_solved", Math.Round(m.ToolCallsPerSolved, 3));
            w.WriteNumber("final_entropy", Math.Round(m.FinalEntropy, 4));
            w.WriteStartObject("phases_s");
            foreach (var (k, v) in m.Phases) w.WriteNumber(k, v);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("runs");
        foreach (var r in report.Runs)
        {
            w.WriteStartObject();
            w.WriteString("method", r.Method);
            w.WriteNumber("seed", r.Seed);
            w.WriteNumber("final_accuracy", Math.Round(r.FinalAccuracy, 4));
            w.WriteNumber("rl_training_s", Math.Round(r.TrainingSeconds, 1));
            w.WriteStartArray("validation");
            foreach (var v in r.Validation)
            {
                w.WriteStartObject();
                w.WriteNumber("step", v.Step);
                w.WriteNumber("training_s", Math.Round(v.TrainingS, 1));
                w.WriteNumber("accuracy", Math.Round(v.Accuracy, 4));
                w.WriteNumber("tool_calls_per_solved", Math.Round(v.ToolCallsPerSolved, 3));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("steps");
            foreach (var s in r.Curve ?? [])
            {
                w.WriteStartObject();
                w.WriteNumber("step", s.Step);
                w.WriteNumber("entropy", Math.Round(s.Entropy, 4));
                w.WriteNumber("post_tool_entropy", Math.Round(s.PostToolEntropy, 4));
                w.WriteNumber("tool_calls_per_rollout", Math.Round(s.ToolCallsPerRollout, 3));
                w.WriteNumber("train_accuracy", Math.Round(s.TrainAccuracy, 4));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("target_accuracy", report.TargetAccuracy);
        w.WriteString("target_rule", report.TargetRule);
        w.WriteString("environment", report.Environment);
        w.WriteString("model", report.Model);
        w.WriteEndObject();
    }));

    private static void WriteNullable(Utf8JsonWriter w, string name, double? value, int digits)
    {
        if (value is { } v) w.WriteNumber(name, Math.Round(v, digits));
        else w.WriteNull(name);
    }
}
