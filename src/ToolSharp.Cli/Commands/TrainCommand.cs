using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Inference.Rendering;
using ToolSharp.Tensors.Kernels;
using ToolSharp.Training.Pipeline;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp train</c>: supervised warm-up then efficient GRPO; with no arguments, the embedded default (arith + tiny).</summary>
public static class TrainCommand
{
    public static Command Create(CliContext ctx)
    {
        var config = new Option<FileInfo?>("--config", "-c") { Description = "YAML (or JSON) config; every setting has a default (see --print-config)." };
        var output = new Option<string?>("--out", "-o") { Description = "Run directory (default runs/<timestamp>)." };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this directory from its last checkpoint, with the config it was started with." };
        var set = new Option<string[]>("--set") { Description = "Override a setting, e.g. --set rl.steps=40 --set warmup.steps=100 (repeatable).", AllowMultipleArgumentsPerToken = false };
        var env = new Option<string?>("--env") { Description = "Environment spec (shortcut for --set environment=…), e.g. arith:levels=1-3." };
        var model = new Option<string?>("--model") { Description = "Model preset (tiny, small) or a model directory: a run's, or a Hugging Face folder with its own tokenizer.json and chat template, optionally DIR#format=NAME,thinking=true,accept_drift=true (shortcut for --set model=…)." };
        var steps = new Option<int?>("--steps") { Description = "RL steps (shortcut for --set rl.steps=…)." };
        var seed = new Option<ulong?>("--seed") { Description = "Seed (shortcut for --set seed=…)." };
        var threads = new Option<int?>("--threads") { Description = "Engine threads, 0 = all cores (shortcut for --set threads=…)." };
        var printConfig = new Option<bool>("--print-config") { Description = "Print the resolved config as YAML and exit." };
        var json = new Option<bool>("--json") { Description = "Print summary.json on stdout instead of the text summary." };
        var command = new Command("train", Help.WithExamples(
            "Train a tool-calling policy: a supervised warm-up on the environment's demonstrations (so the model emits well-formed " +
            "calls), then GRPO with pre-rollout prompt filtering and max-variance rollout down-sampling. Writes checkpoints, " +
            "metrics.jsonl and summary.json into the run directory; kill it at any moment and --resume continues exactly. " +
            "With no arguments: arith (one operation, two-digit operands) on the tiny built-in model, about five minutes on two cores.",
            "toolsharp train",
            "toolsharp train --out runs/arith --steps 60 --seed 3",
            "toolsharp train --config train.yaml --set rl.update_rollouts_per_prompt=4 --set rl.prompt_filter.solved_streak_to_skip=2",
            "toolsharp train --resume runs/arith",
            "toolsharp train --print-config > train.yaml"))
        {
            config, output, resume, set, env, model, steps, seed, threads, printConfig, json,
        };
        command.SetAction((parse, cancellation) =>
        {
            var overrides = (parse.GetValue(set) ?? []).ToList();
            if (parse.GetValue(env) is { } e) overrides.Add($"environment='{e}'");
            if (parse.GetValue(model) is { } m) overrides.Add($"model='{m}'");
            if (parse.GetValue(steps) is { } s) overrides.Add($"rl.steps={s}");
            if (parse.GetValue(seed) is { } sd) overrides.Add($"seed={sd}");
            if (parse.GetValue(threads) is { } t) overrides.Add($"threads={t}");

            TrainingRun run;
            if (parse.GetValue(resume) is { } resumeDir)
            {
                if (parse.GetValue(config) is not null || parse.GetValue(output) is not null)
                    throw new UsageException("--resume takes the config and directory of the run; drop --config and --out");
                run = TrainingRun.Open(resumeDir, overrides);
            }
            else
            {
                var resolved = TrainConfigFile.Load(parse.GetValue(config)?.FullName, overrides);
                var dir = parse.GetValue(output) ?? Path.Combine("runs", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
                if (File.Exists(Path.Combine(dir, TrainingRun.ConfigFile)))
                    throw new UsageException($"{dir} already holds a run; continue it with --resume {dir} or choose another --out");
                run = new TrainingRun(resolved, dir);
            }
            if (parse.GetValue(printConfig))
            {
                ctx.Out.Write(TrainConfigFile.ToYaml(run.Config));
                return Task.FromResult(ExitCodes.Ok);
            }

            ctx.Err.WriteLine($"run directory: {run.Directory}, GEMM {Gemm.Describe()}");
            var summary = ctx.Interactive ? RunWithProgressBars(ctx, run, cancellation) : RunWithLogLines(ctx, run, cancellation);
            ctx.PrintProfile();
            if (parse.GetValue(json))
                ctx.Out.WriteLine(File.ReadAllText(Path.Combine(run.Directory, TrainingRun.SummaryFile)).ReplaceLineEndings(" "));
            else
                PrintSummary(ctx, run, summary);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static TrainSummary RunWithLogLines(CliContext ctx, TrainingRun template, CancellationToken cancellation)
    {
        var run = new TrainingRun(template.Config, template.Directory)
        {
            OnStatus = line => ctx.Err.WriteLine(line),
            OnWarmupStep = p =>
            {
                if (p.Step % 25 == 0 || p.Step == p.TotalSteps)
                    ctx.Err.WriteLine(FormattableString.Invariant($"warm-up {p.Step}/{p.TotalSteps} loss {p.Loss:F3} {p.TokensPerSecond:F0} tok/s"));
            },
            OnRlStep = m => ctx.Err.WriteLine(StepLine(m, template.Config.Rl.Steps)),
        };
        return run.Run(cancellation);
    }

    private static TrainSummary RunWithProgressBars(CliContext ctx, TrainingRun template, CancellationToken cancellation)
    {
        TrainSummary? summary = null;
        ctx.Status.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                var warm = progress.AddTask("warm-up", maxValue: Math.Max(1, template.Config.Warmup.Steps));
                var rl = progress.AddTask("RL", autoStart: false, maxValue: Math.Max(1, template.Config.Rl.Steps));
                var run = new TrainingRun(template.Config, template.Directory)
                {
                    OnStatus = line => ctx.Status.MarkupLine($"[grey]{Markup.Escape(line)}[/]"),
                    OnWarmupStep = p =>
                    {
                        warm.Value = p.Step;
                        warm.Description = FormattableString.Invariant($"warm-up  loss {p.Loss:F3}");
                    },
                    OnRlStep = m =>
                    {
                        warm.Value = warm.MaxValue;
                        if (!rl.IsStarted) rl.StartTask();
                        rl.Value = m.Step;
                        rl.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                            $"RL  reward {m.RewardMean:F2}  acc {m.TrainAccuracy:P0}  skipped {m.PromptsSkippedTotal}  {m.GenerationTokensPerSecond:F0} tok/s") +
                            (m.ValidationAccuracy is { } v ? string.Create(CultureInfo.InvariantCulture, $"  val {v:P1}") : ""));
                    },
                };
                summary = run.Run(cancellation);
                warm.Value = warm.MaxValue;
                rl.Value = rl.MaxValue;
            });
        return summary!;
    }

    internal static string StepLine(ToolSharp.Training.Metrics.StepMetrics m, int totalSteps) =>
        FormattableString.Invariant($"step {m.Step}/{totalSteps} reward {m.RewardMean:F3} acc {m.TrainAccuracy:P0} trained {m.RolloutsTrained}/{m.Rollouts} ") +
        FormattableString.Invariant($"skipped {m.PromptsSkipped} (total {m.PromptsSkippedTotal}) tools/rollout {m.ToolCallsMean:F2} {m.GenerationTokensPerSecond:F0} tok/s {m.StepSeconds:F1}s") +
        (m.ValidationAccuracy is { } v ? FormattableString.Invariant($" val {v:P1}") : "");

    private static void PrintSummary(CliContext ctx, TrainingRun run, TrainSummary s)
    {
        var table = new Table().AddColumn("metric").AddColumn("value");
        table.AddRow("environment", Markup.Escape(s.Environment));
        table.AddRow("model", $"{Markup.Escape(s.Model)} ({s.Parameters:N0} parameters)");
        table.AddRow("warm-up validation accuracy", $"{s.WarmupValAccuracy:P1}");
        table.AddRow("final validation accuracy", $"{s.FinalValAccuracy:P1}");
        table.AddRow("RL steps", s.Steps.ToString(CultureInfo.InvariantCulture));
        table.AddRow("prompts skipped", s.PromptsSkipped.ToString(CultureInfo.InvariantCulture));
        table.AddRow("rollouts trained / sampled", $"{s.RolloutsTrained} / {s.Rollouts}");
        table.AddRow("wall clock", string.Create(CultureInfo.InvariantCulture, $"{s.WallClockS:F0} s (warm-up {s.WarmupS:F0} s, RL {s.RlS:F0} s)"));
        ctx.Tables.Write(table);
        ctx.Out.WriteLine($"model, metrics and summary.json in {run.Directory}");
        var prompt = run.Config.Rl.Instructions switch { null => "", "" => " --system-prompt none", _ => " --system-prompt <file with rl.instructions>" };
        // The command that repeats the final validation: same tasks, system prompt and limits (the token limits travel
        // in the model's generation_config.json), so it scores exactly final_val_accuracy.
        var rl = run.Config.Rl;
        var split = rl.ValidationSplit == "test" ? "" : $" --split {rl.ValidationSplit}";
        var limits = (rl.Rollout.MaxTurns is { } t ? $" --max-turns {t}" : "") + (rl.Rollout.MaxToolCalls is { } c ? $" --max-tool-calls {c}" : "");
        // A Hugging Face folder's template options travel with the model spec (the run carries the folder's tokenizer and template).
        var options = ChatTemplateOptions.Split(run.Config.Model).Options.ToString();
        var spec = $"builtin:{run.Directory}" + (options.Length == 0 ? "" : $"#{options}");
        ctx.Out.WriteLine($"evaluate it: toolsharp eval -m {spec} -e '{run.Config.Environment}'{split}{prompt}{limits} -n {rl.ValidationTasks} --out {Path.Combine(run.Directory, "eval")}");
    }
}
