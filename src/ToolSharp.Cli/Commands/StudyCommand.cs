using System.CommandLine;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Evaluation.Reports;
using ToolSharp.Evaluation.Store;
using ToolSharp.Evaluation.Sweeps;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp study</c>: the standard sensitivity protocol on a list of models and environments — a resumable
/// fractional sweep, then the study report (standard scores, factor swings, ranking stability, runs needed).</summary>
public static class StudyCommand
{
    /// <summary>The preset study file shipped with the tool (<c>studies/study.yaml</c> in the repository).</summary>
    public static string Preset()
    {
        using var stream = typeof(StudyCommand).Assembly.GetManifestResourceStream("study.yaml")
            ?? throw new InvalidOperationException("the study preset is not embedded in the tool");
        return new StreamReader(stream).ReadToEnd();
    }

    public static Command Create(CliContext ctx)
    {
        var file = new Argument<string?>("file") { Description = "Study file (sweep-file format); default the built-in protocol (studies/study.yaml).", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string>("--out", "-o") { Description = "Run directory (results.db, manifest.json, report.html, summary.json). Rerunning resumes.", Required = true };
        var models = new Option<string[]>("--model", "-m") { Description = "A model to study, SPEC or NAME=SPEC (repeatable; replaces the file's models).", AllowMultipleArgumentsPerToken = false };
        var envs = new Option<string[]>("--env", "-e") { Description = "An environment spec (repeatable; replaces the file's environments)." };
        var split = new Option<string>("--split") { Description = "Split of the --env environments.", DefaultValueFactory = _ => "test" };
        var tasks = new Option<int>("--tasks", "-n") { Description = "Tasks per --env environment.", DefaultValueFactory = _ => 50 };
        var quick = new Option<bool>("--quick") { Description = $"Smoke-test size: the first {StudyProtocol.QuickSeeds} seeds, at most {StudyProtocol.QuickTasks} tasks per environment, the smallest balanced fraction." };
        var halfWidth = new Option<double>("--target-half-width") { Description = "CI half-width the 'tasks needed' advice aims at.", DefaultValueFactory = _ => 0.05 };
        var attempts = new Option<int>("--max-attempts") { Description = "Requests per model turn before an episode is left for a resume.", DefaultValueFactory = _ => 6 };
        var apiKeyEnv = new Option<string?>("--api-key-env") { Description = "Environment variable holding the API key (default OPENAI_API_KEY; none sent when unset)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the design and episode count, run nothing." };
        var command = new Command("study", Help.WithExamples(
            "Run ToolSharp's standard sensitivity protocol: seeds, system prompts, native vs packed multi-turn construction and history policy " +
            "in a fractional design where every main effect and its interaction with the model is estimable; then report each model's score under the " +
            "standard configuration, how many points each factor swings it, variance shares, Kendall tau and rank-flip probabilities, the smallest " +
            "resolvable difference and the tasks and seeds a target CI needs. Resumable like sweep. See docs/study.md.",
            "toolsharp study --model builtin:zoo/a --model builtin:zoo/b --env arith-memory --out runs/study --quick",
            "toolsharp study studies/study.yaml --model qwen=openai:http://localhost:8000/v1#Qwen/Qwen3-8B --env 'arith:levels=1-2' --out runs/qwen",
            "toolsharp study my-study.yaml --out runs/mine --dry-run"))
        {
            file, output, models, envs, split, tasks, quick, halfWidth, apiKeyEnv, attempts, dryRun,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(tasks) < 1) throw new UsageException($"--tasks: expected at least 1, found {parse.GetValue(tasks)}");
            var overrides = new SweepOverrides(parse.GetValue(models),
                parse.GetValue(envs)?.Select(e => new EnvironmentEntry(e, parse.GetValue(split)!, parse.GetValue(tasks))).ToList());
            var path = parse.GetValue(file);
            var definition = path is null ? SweepFile.Parse(Preset(), "study.yaml (built-in)", null, overrides) : SweepFile.Load(path, overrides);
            if (parse.GetValue(quick)) definition = StudyProtocol.Quick(definition);
            var plan = SweepPlan.Create(definition);
            ctx.Err.WriteLine($"study {definition.Name}: {definition.Models.Count} models × {plan.Environments.Count} environments, " +
                              $"{plan.Configurations.Count / Math.Max(1, definition.Models.Count * plan.Environments.Count)} factor settings ({SweepDesign.Name(definition.Design.Kind)} design), " +
                              $"{definition.Factors.Seeds.Count} seeds = {plan.EpisodeCount} episodes");
            if (parse.GetValue(dryRun))
            {
                foreach (var c in plan.Configurations) ctx.Out.WriteLine($"{c.Hash}  {c.Label}");
                return ExitCodes.Ok;
            }
            var outPath = parse.GetValue(output)!;
            var (database, directory) = SweepExecution.ResolveOut(outPath);
            var code = await SweepExecution.RunAsync(ctx, plan, outPath, SweepExecution.ApiKey(parse.GetValue(apiKeyEnv)), ct,
                SweepExecution.Retry(parse.GetValue(attempts)), printSummary: false);
            using var store = ResultsStore.Open(database, mustExist: true);
            var summary = SweepReport.Build(store, database, new SummaryOptions { TargetHalfWidth = parse.GetValue(halfWidth) });
            SweepReport.Write(ctx, store, summary, directory is null ? Path.ChangeExtension(database, ".html") : Path.Combine(directory, "report.html"), directory);
            StudyTable.Write(ctx, summary);
            return code;
        });
        return command;
    }
}
