using ToolSharp.Environments.Catalog;
using System.CommandLine;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Environments.Episodes;
using ToolSharp.Environments.Mcp;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp mcp serve --env NAME</c>: an environment's tools as an MCP server over stdio.</summary>
public static class McpServeCommand
{
    public static Command Create(CliContext ctx)
    {
        var env = new Option<string>("--env", "-e") { Description = "Environment whose tools to serve, e.g. arith, arith-memory, countries, sql.", Required = true };
        var timeout = new Option<double>("--timeout") { Description = "Time limit per tool call, in seconds.", DefaultValueFactory = _ => 10 };
        var maxOutput = new Option<int>("--max-output") { Description = "Longest tool output in characters (longer output is cut with a marker).", DefaultValueFactory = _ => 2000 };
        var command = new Command("serve", Help.WithExamples(
            "Serve an environment's tools over MCP on standard input/output until the client disconnects. Each call runs with ToolSharp's " +
            "limits and argument validation; failures come back as isError results. Stateful tools keep their state for the session.",
            "toolsharp mcp serve --env arith",
            "toolsharp mcp serve --env countries --timeout 5 --max-output 4000",
            "npx @modelcontextprotocol/inspector dotnet toolsharp.dll mcp serve --env arith-memory"))
        {
            env, timeout, maxOutput,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var seconds = parse.GetValue(timeout);
            if (seconds <= 0) throw new UsageException($"--timeout must be positive, found {seconds}");
            var chars = parse.GetValue(maxOutput);
            if (chars < 40) throw new UsageException($"--max-output must be at least 40, found {chars}");
            var environment = EnvironmentCatalog.Create(parse.GetValue(env)!);
            var options = new ToolExecutionOptions { Timeout = TimeSpan.FromSeconds(seconds), MaxOutputChars = chars };
            // Standard output carries the protocol: everything for people goes to standard error.
            ctx.Err.WriteLine($"toolsharp: serving {environment.Name} tools ({string.Join(", ", environment.ToolSpecs.Select(t => t.Name))}) over MCP stdio");
            await McpToolServer.RunStdioAsync(environment, options, cancellationToken: cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}
