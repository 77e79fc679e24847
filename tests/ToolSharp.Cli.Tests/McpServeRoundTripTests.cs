using ToolSharp.Core.Tools;
using ToolSharp.Environments.Mcp;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Cli.Tests;

/// <summary>Our MCP client spawning the built <c>toolsharp mcp serve</c> with the current dotnet host and calling its tools over stdio.</summary>
public class McpServeRoundTripTests
{
    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk)) return fromSdk;
        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }

    private static Task<McpToolSet> Serve(params string[] arguments) =>
        McpToolSet.ConnectStdioAsync(DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "toolsharp.dll"), "mcp", "serve", .. arguments]);

    [Fact]
    public async Task Client_calls_the_served_tools_and_state_lives_for_the_session()
    {
        await using var server = await Serve("--env", "arith-memory");
        server.Tools.Select(t => t.Spec.Name).ShouldBe(["calculator", "save", "recall"]);
        server.Tools[0].Spec.RequiredParameters.ShouldBe(["expression"]);

        var executor = new ToolExecutor(server.ToRegistry());
        (await executor.ExecuteAsync(ToolCall.FromJson("calculator", """{"expression":"(4821+377)*12-950"}"""))).Content.ShouldBe("61426");
        (await executor.ExecuteAsync(ToolCall.FromJson("save", """{"name":"x","value":61426}"""))).Content.ShouldBe("saved x = 61426");
        (await executor.ExecuteAsync(ToolCall.FromJson("calculator", """{"expression":"x/2"}"""))).Content.ShouldBe("30713");
        (await executor.ExecuteAsync(ToolCall.FromJson("recall", """{"name":"x"}"""))).Content.ShouldBe("61426");

        var error = await executor.ExecuteAsync(ToolCall.FromJson("calculator", """{"expression":"1/0"}"""));
        error.Error!.Kind.ShouldBe(ToolCallErrorKind.ExecutionFailed);
        error.Content.ShouldBe("Error: division by zero");
        executor.Log.FailedCount.ShouldBe(1);
    }

    [Fact]
    public async Task Serving_an_unknown_environment_fails_to_connect_with_a_clear_error()
    {
        var ex = await Should.ThrowAsync<Core.Errors.ToolSharpException>(() => Serve("--env", "nope"));
        ex.Message.ShouldStartWith("cannot connect to MCP server");
    }

    [Fact]
    public void Bad_limits_are_usage_errors()
    {
        var r = CliRunner.Run("mcp", "serve", "--env", "arith", "--timeout", "0");
        r.ExitCode.ShouldBe(2);
        r.Err.ShouldContain("--timeout must be positive");
    }
}
