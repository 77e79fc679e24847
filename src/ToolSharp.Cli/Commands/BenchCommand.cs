using System.CommandLine;
using ToolSharp.Cli.Infrastructure;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp bench …</c>: performance measurements that print ratios against a reference measured in the same run.</summary>
public static class BenchCommand
{
    public static Command Create(CliContext ctx)
    {
        var command = new Command("bench", Help.WithExamples(
            "Benchmarks. Each prints its numbers next to a reference measured in the same run, and --json for machines.",
            "toolsharp bench --help"));
        foreach (var sub in Subcommands(ctx)) command.Add(sub);
        return command;
    }

    // One line per benchmark; each lives in its own Bench*Command.cs file.
    private static IEnumerable<Command> Subcommands(CliContext ctx)
    {
        yield return BenchTokenizerCommand.Create(ctx);
        yield return BenchEngineCommand.Create(ctx);
        yield return BenchGemmCommand.Create(ctx);
        yield return BenchRlCommand.Create(ctx);
        yield return BenchLlamaCppCommand.Create(ctx);
        yield return BenchBfclCommand.Create(ctx);
        yield return BenchWarmupCommand.Create(ctx);
        yield return BenchServeCommand.Create(ctx);
    }
}
