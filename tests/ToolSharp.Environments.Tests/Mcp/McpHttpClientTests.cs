using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Mcp;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Environments.Tests.Mcp;

/// <summary>Our MCP client over the Streamable HTTP transport, against a minimal JSON-RPC server on the loopback interface.</summary>
public sealed class McpHttpClientTests : IAsyncLifetime
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _serving;
    private readonly List<string> _methods = [];

    public Uri Endpoint { get; private set; } = null!;

    public Task InitializeAsync()
    {
        var port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}/mcp/");
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _serving = Serve();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _serving!; } catch (HttpListenerException) { } catch (ObjectDisposedException) { }
        _listener.Close();
    }

    [Fact]
    public async Task Lists_and_calls_tools_over_http()
    {
        await using (var server = await McpToolSet.ConnectHttpAsync(Endpoint))
        {
            server.Tools.Select(t => t.Spec.Name).ShouldBe(["echo", "fail"]);
            server.Tools[0].Spec.RequiredParameters.ShouldBe(["text"]);
            var executor = new ToolExecutor(server.ToRegistry());
            (await executor.ExecuteAsync(ToolCall.FromJson("echo", """{"text":"hello"}"""))).Content.ShouldBe("hello");
            var failed = await executor.ExecuteAsync(ToolCall.FromJson("fail", "{}"));
            failed.Content.ShouldBe("Error: boom");
            failed.Error!.Kind.ShouldBe(ToolCallErrorKind.ExecutionFailed);
        }
        lock (_methods) _methods.ShouldContain("initialize");
        lock (_methods) _methods.ShouldContain("tools/call");
    }

    [Fact]
    public async Task An_unreachable_server_is_a_clear_error()
    {
        var nowhere = new Uri($"http://127.0.0.1:{FreePort()}/mcp/");
        (await Should.ThrowAsync<Core.Errors.ToolSharpException>(() => McpToolSet.ConnectHttpAsync(nowhere)))
            .Message.ShouldStartWith($"cannot connect to MCP server {nowhere}");
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task Serve()
    {
        while (!_stop.IsCancellationRequested)
        {
            var context = await _listener.GetContextAsync();
            try { await Handle(context); }
            finally { context.Response.Close(); }
        }
    }

    // Just enough of MCP's Streamable HTTP: POSTed JSON-RPC requests answered with application/json, notifications with 202.
    private async Task Handle(HttpListenerContext context)
    {
        if (context.Request.HttpMethod != "POST")
        {
            context.Response.StatusCode = 405;
            return;
        }
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var message = JsonValues.Parse(await reader.ReadToEndAsync());
        var method = message.GetProperty("method").GetString()!;
        lock (_methods) _methods.Add(method);
        if (!message.TryGetProperty("id", out var id))
        {
            context.Response.StatusCode = 202;
            return;
        }
        var result = method switch
        {
            "initialize" => $$$"""{"protocolVersion":{{{message.GetProperty("params").GetProperty("protocolVersion").GetRawText()}}},"capabilities":{"tools":{}},"serverInfo":{"name":"fake-http","version":"1"}}""",
            "tools/list" => """{"tools":[{"name":"echo","description":"Echo text.","inputSchema":{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}},{"name":"fail","description":"Always fails.","inputSchema":{"type":"object","properties":{}}}]}""",
            "tools/call" when message.GetProperty("params").GetProperty("name").GetString() == "echo" =>
                $$$"""{"content":[{"type":"text","text":{{{message.GetProperty("params").GetProperty("arguments").GetProperty("text").GetRawText()}}}}]}""",
            "tools/call" => """{"content":[{"type":"text","text":"boom"}],"isError":true}""",
            _ => null,
        };
        var body = result is null
            ? $$$"""{"jsonrpc":"2.0","id":{{{id.GetRawText()}}},"error":{"code":-32601,"message":"method not found"}}"""
            : $$$"""{"jsonrpc":"2.0","id":{{{id.GetRawText()}}},"result":{{{result}}}}""";
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
    }
}
