using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ToolSharp.Core.Errors;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Environments.Mcp;

/// <summary>A connection to an MCP server and the tools it offers, as <see cref="ITool"/>s; dispose to disconnect (and stop a stdio server).</summary>
public sealed class McpToolSet : IAsyncDisposable
{
    private McpToolSet(McpClient client, IReadOnlyList<ITool> tools)
    {
        Client = client;
        Tools = tools;
    }

    public McpClient Client { get; }

    /// <summary>The server's tools, in the order it listed them.</summary>
    public IReadOnlyList<ITool> Tools { get; }

    /// <summary>A registry holding the server's tools, ready for a <see cref="ToolExecutor"/>.</summary>
    public ToolRegistry ToRegistry() => new(Tools);

    /// <summary>Starts a server process and talks to it over its standard input and output.</summary>
    public static Task<McpToolSet> ConnectStdioAsync(
        string command,
        IReadOnlyList<string>? arguments = null,
        IDictionary<string, string?>? environment = null,
        string? workingDirectory = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = command,
            Arguments = arguments?.ToList() ?? [],
            EnvironmentVariables = environment is null ? null : new Dictionary<string, string?>(environment),
            WorkingDirectory = workingDirectory,
            Name = Path.GetFileName(command),
        }, loggerFactory);
        return ConnectAsync(transport, $"{command} {string.Join(' ', arguments ?? [])}".Trim(), loggerFactory, cancellationToken);
    }

    /// <summary>Connects to a server over HTTP (Streamable HTTP, falling back to SSE for older servers).</summary>
    public static Task<McpToolSet> ConnectHttpAsync(Uri endpoint, IDictionary<string, string>? headers = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = endpoint,
            AdditionalHeaders = headers is null ? null : new Dictionary<string, string>(headers),
        }, loggerFactory);
        return ConnectAsync(transport, endpoint.ToString(), loggerFactory, cancellationToken);
    }

    /// <summary>Connects over any MCP client transport and lists the tools.</summary>
    public static async Task<McpToolSet> ConnectAsync(IClientTransport transport, string label, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        McpClient client;
        try
        {
            client = await McpClient.CreateAsync(transport, loggerFactory: loggerFactory, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new ToolSharpException($"cannot connect to MCP server {label}: {ex.Message}", ex);
        }
        try
        {
            var listed = await client.ListToolsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return new McpToolSet(client, listed.Select(t => (ITool)new McpTool(client, t.ProtocolTool)).ToList());
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
