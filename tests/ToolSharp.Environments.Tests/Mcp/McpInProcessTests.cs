using System.IO.Pipelines;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Arith;
using ToolSharp.Environments.Mcp;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Environments.Tests.Mcp;

/// <summary>Our MCP client against our MCP server over in-memory pipes (the process-level round trip is in ToolSharp.Cli.Tests).</summary>
public class McpInProcessTests
{
    private static async Task<(McpToolSet Client, Task Server, CancellationTokenSource Stop)> Connect(ToolSharp.Environments.Episodes.IEnvironment environment, ToolExecutionOptions? options = null)
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var stop = new CancellationTokenSource();
        var serverTransport = new StreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream(), "test");
        var server = McpToolServer.RunAsync(serverTransport, environment, options, cancellationToken: stop.Token);
        var clientTransport = new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream());
        var client = await McpToolSet.ConnectAsync(clientTransport, "in-process");
        return (client, server, stop);
    }

    [Fact]
    public async Task Tools_list_and_calls_round_trip_with_state_kept_across_calls()
    {
        var (client, server, stop) = await Connect(new ArithMemoryEnvironment());
        await using (client)
        {
            client.Tools.Select(t => t.Spec.Name).ShouldBe(["calculator", "save", "recall"]);
            client.Tools[1].Spec.ShouldBe(MemoryTools.SaveSpec);

            var executor = new ToolExecutor(client.ToRegistry());
            (await executor.ExecuteAsync(ToolCall.FromJson("save", """{"name":"x","value":5198}"""))).Content.ShouldBe("saved x = 5198");
            (await executor.ExecuteAsync(ToolCall.FromJson("calculator", """{"expression":"x*12"}"""))).Content.ShouldBe("62376");
            var missing = await executor.ExecuteAsync(ToolCall.FromJson("recall", """{"name":"q"}"""));
            missing.Error!.Kind.ShouldBe(ToolCallErrorKind.ExecutionFailed);
            missing.Content.ShouldBe("Error: nothing saved under 'q' (saved: x)");
            // The server validates too: a call our client did not check still gets a schema error back.
            var invalid = await new McpToolSet[] { client }[0].Tools[0].InvokeAsync(Core.Json.JsonValues.Parse("""{"expr":"1+1"}"""), default).AsTask()
                .ContinueWith(t => t.Exception?.InnerException);
            invalid.ShouldBeOfType<ToolInvocationException>().Message.ShouldContain("expression");
        }
        // Stopping the server ends its session cleanly.
        await stop.CancelAsync();
        await server;
        stop.Dispose();
    }

    [Fact]
    public async Task Server_side_limits_apply()
    {
        var (client, server, stop) = await Connect(new ArithEnvironment(), new ToolExecutionOptions { MaxOutputChars = 40 });
        await using (client)
        {
            var result = await client.Tools.Single().InvokeAsync(Core.Json.JsonValues.Parse("""{"expression":"7^200"}"""), default);
            result.Length.ShouldBeLessThanOrEqualTo(40);
            result.ShouldContain("[truncated ");
        }
        // Stopping the server ends its session cleanly.
        await stop.CancelAsync();
        await server;
        stop.Dispose();
    }

    [Fact]
    public void Environments_without_fixed_tools_cannot_be_served()
    {
        var env = new FakeBfclLikeEnvironment();
        Should.Throw<Core.Errors.ToolSharpException>(() => McpToolServer.ExecutorFor(env)).Message.ShouldContain("has no fixed tools to serve");
    }

    private sealed class FakeBfclLikeEnvironment : ToolSharp.Environments.Episodes.IEnvironment
    {
        public string Name => "per-task";
        public string Version => "1";
        public string Description => "";
        public string DefaultInstructions => "";
        public IReadOnlyList<ToolSpec> ToolSpecs => [];
        public IReadOnlyList<string> Splits => ["test"];
        public int? TaskCount(string split) => 0;
        public ToolSharp.Environments.Episodes.EnvironmentTask GetTask(string split, int index) => throw new NotSupportedException();
        public ToolSharp.Environments.Episodes.EnvironmentTask? FindTask(string id) => null;
        public ToolSharp.Environments.Episodes.Episode CreateEpisode(ToolSharp.Environments.Episodes.EnvironmentTask task, ToolExecutionOptions? options = null) => throw new NotSupportedException();
    }
}
