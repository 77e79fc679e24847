using System.CommandLine;
using ToolSharp.Cli.Infrastructure;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp env …</c>: the task environments (tools, tasks, scorers).</summary>
public static class EnvCommand
{
    public static Command Create(CliContext ctx)
    {
        var command = new Command("env", Help.WithExamples(
            "Task environments: tools, tasks with verifiable answers, and scorers.",
            "toolsharp env list",
            "toolsharp env show arith"));
        command.Add(EnvListCommand.Create(ctx));
        command.Add(EnvShowCommand.Create(ctx));
        return command;
    }
}
