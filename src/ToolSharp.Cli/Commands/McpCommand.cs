using System.CommandLine;
using ToolSharp.Cli.Infrastructure;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp mcp …</c>: Model Context Protocol.</summary>
public static class McpCommand
{
    public static Command Create(CliContext ctx)
    {
        var command = new Command("mcp", Help.WithExamples(
            "Model Context Protocol: serve ToolSharp's tools to other agents.",
            "toolsharp mcp serve --env arith"));
        command.Add(McpServeCommand.Create(ctx));
        return command;
    }
}
