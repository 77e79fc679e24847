using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ToolSharp.Core.Errors;
using ToolSharp.Environments.Episodes;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Environments.Mcp;

/// <summary>Serves ToolSharp tools over MCP: every call goes through a <see cref="ToolExecutor"/>, so limits, validation and error results apply.</summary>
/// <remarks>
/// A tool failure (validation, exception, timeout) is returned as a result with <c>isError</c> and the error message as
/// text, which MCP clients show to their model. For an environment the server holds one episode for the whole session,
/// so stateful tools (arith-memory's notebook) keep their state across calls.
/// </remarks>
public static class McpToolServer
{
    /// <summary>Server options exposing the executor's tools.</summary>
    public static McpServerOptions CreateOptions(ToolExecutor executor, string name, string? instructions = null)
    {
        ArgumentNullException.ThrowIfNull(executor);
        var version = typeof(McpToolServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0";
        return new McpServerOptions
        {
            ServerInfo = new Implementation { Name = name, Version = version },
            ServerInstructions = instructions,
            Capabilities = new ServerCapabilities { Tools = new ToolsCapability() },
            Handlers = new McpServerHandlers
            {
                ListToolsHandler = (_, _) => ValueTask.FromResult(new ListToolsResult
                {
                    Tools = executor.Tools.Select(t => new Tool { Name = t.Spec.Name, Description = t.Spec.Description, InputSchema = t.Spec.Parameters }).ToList(),
                }),
                CallToolHandler = async (request, cancellationToken) =>
                {
                    var p = request.Params!;
                    var arguments = Core.Json.JsonValues.Build(w =>
                    {
                        w.WriteStartObject();
                        foreach (var (key, value) in p.Arguments ?? new Dictionary<string, JsonElement>())
                        {
                            w.WritePropertyName(key);
                            value.WriteTo(w);
                        }
                        w.WriteEndObject();
                    });
                    var result = await executor.ExecuteAsync(new Core.Tools.ToolCall(p.Name, arguments), cancellationToken).ConfigureAwait(false);
                    return new CallToolResult
                    {
                        Content = [new TextContentBlock { Text = result.Error?.Message ?? result.Content }],
                        IsError = result.IsError,
                    };
                },
            },
        };
    }

    /// <summary>An executor over a fresh episode of <paramref name="environment"/> (its first task), with no call budget.</summary>
    public static ToolExecutor ExecutorFor(IEnvironment environment, ToolExecutionOptions? options = null)
    {
        if (environment.ToolSpecs.Count == 0)
            throw new ToolSharpException($"environment '{environment.Name}' has no fixed tools to serve (its tools differ per task)");
        var task = environment.GetTask(environment.Splits[0], 0);
        var episode = environment.CreateEpisode(task, (options ?? ToolExecutionOptions.Default) with { MaxCalls = null });
        return episode.Executor;
    }

    /// <summary>Serves an environment's tools on <paramref name="transport"/> until the client disconnects or <paramref name="cancellationToken"/> fires.</summary>
    public static async Task RunAsync(ITransport transport, IEnvironment environment, ToolExecutionOptions? options = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var executor = ExecutorFor(environment, options);
        var serverOptions = CreateOptions(executor, $"toolsharp-{environment.Name}", environment.DefaultInstructions);
        await using var server = McpServer.Create(transport, serverOptions, loggerFactory);
        await server.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serves an environment's tools over this process's standard input and output.</summary>
    public static async Task RunStdioAsync(IEnvironment environment, ToolExecutionOptions? options = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        await using var transport = new StdioServerTransport($"toolsharp-{environment.Name}", loggerFactory);
        await RunAsync(transport, environment, options, loggerFactory, cancellationToken).ConfigureAwait(false);
    }
}
