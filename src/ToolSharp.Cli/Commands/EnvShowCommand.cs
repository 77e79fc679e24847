using ToolSharp.Core.WireFormats;
using ToolSharp.Environments.Catalog;
using System.CommandLine;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Core.Json;
using ToolSharp.Environments.Episodes;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp env show NAME</c>: an environment's tools, splits, instructions and an example task.</summary>
public static class EnvShowCommand
{
    public static Command Create(CliContext ctx)
    {
        var name = new Argument<string>("name") { Description = "Environment name or spec, e.g. arith or 'arith:levels=1-2,seed=7'." };
        var split = new Option<string?>("--split") { Description = "Split of the example task (default: test, else the first split)." };
        var index = new Option<int>("--index") { Description = "Index of the example task in the split.", DefaultValueFactory = _ => 0 };
        var demo = new Option<bool>("--demo") { Description = "Also print a demonstration (a correct solution) of the example task as OpenAI chat JSON, when the environment has them." };
        var command = new Command("show", Help.WithExamples(
            "Show an environment: version, tools with their JSON Schemas, splits and task counts, default instructions and an example task.",
            "toolsharp env show arith",
            "toolsharp env show arith-memory --split train --index 3 --demo",
            "toolsharp env show 'arith:levels=4'"))
        {
            name, split, index, demo,
        };
        command.SetAction(parse =>
        {
            var env = EnvironmentCatalog.Create(parse.GetValue(name)!);
            var splitName = parse.GetValue(split) ?? (env.Splits.Contains("test") ? "test" : env.Splits[0]);
            TaskSampling.RequireSplit(env, splitName);
            var i = parse.GetValue(index);
            if (i < 0 || env.TaskCount(splitName) is { } n && i >= n)
                throw new UsageException($"--index {i} is outside split '{splitName}' ({EnvListCommand.Count(env, splitName)} tasks)");
            var task = env.GetTask(splitName, i);
            var episode = env.CreateEpisode(task);

            var o = ctx.Out;
            o.WriteLine($"{env.Name} (version {env.Version})");
            o.WriteLine(env.Description);
            o.WriteLine();
            o.WriteLine("splits: " + string.Join(", ", env.Splits.Select(s => $"{s} ({EnvListCommand.Count(env, s)} tasks)")));
            o.WriteLine();
            o.WriteLine(env.ToolSpecs.Count == 0 ? $"tools (they differ per task; those of {task.Id}):" : "tools:");
            foreach (var tool in episode.ToolSpecs)
                o.WriteLine($"  {tool.Name}: {tool.Description}\n    parameters: {JsonValues.ToCompact(tool.Parameters)}");
            o.WriteLine();
            o.WriteLine("default instructions:");
            o.WriteLine("  " + env.DefaultInstructions);
            o.WriteLine();
            o.WriteLine($"example task {task.Id} (difficulty {task.Difficulty}):");
            for (var t = 0; t < task.UserTurns.Count; t++) o.WriteLine($"  user{(task.UserTurns.Count > 1 ? $" (turn {t + 1})" : "")}: {task.UserTurns[t]}");
            o.WriteLine($"  expected: {task.ExpectedAnswer}");
            if (parse.GetValue(demo))
            {
                if (env is not IDemonstrationSource source)
                    throw new UsageException($"environment '{env.Name}' has no demonstrations (available for: arith, arith-memory, arith-chat, gsm8k)");
                o.WriteLine();
                o.WriteLine("demonstration:");
                o.WriteLine(OpenAiChatJson.ToJson(source.Demonstration(task), indented: true));
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
