using System.CommandLine;
using ToolSharp.Cli.Infrastructure;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp bfcl …</c>: Berkeley Function Calling Leaderboard tools.</summary>
public static class BfclCommand
{
    public static Command Create(CliContext ctx)
    {
        var command = new Command("bfcl", Help.WithExamples(
            "Berkeley Function Calling Leaderboard: score model calls with BFCL's AST checker rules.",
            "toolsharp bfcl score --help"));
        command.Add(BfclScoreCommand.Create(ctx));
        return command;
    }
}
