using System.CommandLine;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Evaluation.Sweeps;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp sweep FILE --out DIR</c>: runs every configuration of a sweep file, resumably.</summary>
public static class SweepCommand
{
    public static Command Create(CliContext ctx)
    {
        var file = new Argument<string>("file") { Description = "Sweep file (YAML or JSON): models, environments, factor levels, design." };
        var output = new Option<string>("--out", "-o") { Description = "Results database (.db) or a directory (gets results.db and manifest.json). Rerunning resumes.", Required = true };
        var attempts = new Option<int>("--max-attempts") { Description = "Requests per model turn before an episode is left for a resume (retries back off exponentially with jitter on 429, 5xx, timeouts and dropped connections).", DefaultValueFactory = _ => 6 };
        var apiKeyEnv = new Option<string?>("--api-key-env") { Description = "Environment variable holding the API key (default OPENAI_API_KEY; none sent when unset)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the configurations and episode count, run nothing." };
        var command = new Command("sweep", Help.WithExamples(
            "Run a sensitivity sweep: every model × environment × factor setting of the design, every seed. Episodes are stored as they " +
            "finish; after Ctrl-C, a kill or an endpoint outage, rerunning the same command finishes the rest without duplicates. See docs/evaluation.md for the file format.",
            "toolsharp sweep sweeps/arith.yaml --out runs/arith",
            "toolsharp sweep sweep.json --out results.db --api-key-env TOGETHER_API_KEY",
            "toolsharp sweep sweeps/arith.yaml --out runs/arith --dry-run"))
        {
            file, output, apiKeyEnv, attempts, dryRun,
        };
        command.SetAction(async (parse, ct) =>
        {
            var plan = SweepPlan.Create(SweepFile.Load(parse.GetValue(file)!));
            if (parse.GetValue(dryRun))
            {
                foreach (var c in plan.Configurations) ctx.Out.WriteLine($"{c.Hash}  {c.Label}");
                ctx.Out.WriteLine($"{plan.Configurations.Count} configurations × {plan.Definition.Factors.Seeds.Count} seeds × {plan.Definition.Trials} trials = {plan.EpisodeCount} episodes");
                return ExitCodes.Ok;
            }
            return await SweepExecution.RunAsync(ctx, plan, parse.GetValue(output)!, SweepExecution.ApiKey(parse.GetValue(apiKeyEnv)), ct, SweepExecution.Retry(parse.GetValue(attempts)));
        });
        return command;
    }
}
