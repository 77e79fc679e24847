using System.Text.Json;

namespace ToolSharp.Cli.Tests;

public class EnvCommandTests
{
    [Fact]
    public void List_shows_every_environment()
    {
        var r = CliRunner.Run("env", "list");
        r.ExitCode.ShouldBe(0, r.Err);
        r.Out.ShouldContain("arith ");
        r.Out.ShouldContain("tools: calculator; splits: train (endless), test (500); data: generated");
        r.Out.ShouldContain("arith-memory");
    }

    [Fact]
    public void List_json_is_one_object_per_line()
    {
        var r = CliRunner.Run("env", "list", "--json");
        r.ExitCode.ShouldBe(0, r.Err);
        var first = JsonDocument.Parse(r.Out.Split('\n')[0]).RootElement;
        first.GetProperty("name").GetString().ShouldBe("arith");
        first.GetProperty("splits").GetProperty("test").GetInt32().ShouldBe(500);
        first.GetProperty("splits").GetProperty("train").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public void Show_prints_tools_splits_and_an_example()
    {
        var r = CliRunner.Run("env", "show", "arith");
        r.ExitCode.ShouldBe(0, r.Err);
        r.Out.ShouldStartWith("arith (version 1)");
        r.Out.ShouldContain("calculator: Evaluate an arithmetic expression");
        r.Out.ShouldContain("example task test/0 (difficulty 3):");
        r.Out.ShouldContain("user: Calculate (8647 + 624) * 67 + 835.");
        r.Out.ShouldContain("expected: 621992");
    }

    [Fact]
    public void Show_demo_prints_a_demonstration_conversation()
    {
        var r = CliRunner.Run("env", "show", "arith-memory", "--split", "train", "--index", "3", "--demo");
        r.ExitCode.ShouldBe(0, r.Err);
        var json = r.Out[r.Out.IndexOf("demonstration:\n", StringComparison.Ordinal)..].Split('\n', 2)[1];
        var messages = JsonDocument.Parse(json).RootElement.GetProperty("messages");
        messages[0].GetProperty("role").GetString().ShouldBe("system");
        messages.EnumerateArray().Last().GetProperty("content").GetString()!.ShouldStartWith("Answer: ");
    }

    [Theory]
    [InlineData(new[] { "env", "show", "nope" }, 1, "error: unknown environment 'nope'")]
    [InlineData(new[] { "env", "show", "arith", "--split", "dev" }, 1, "unknown split 'dev'")]
    [InlineData(new[] { "env", "show", "arith", "--index", "500" }, 2, "--index 500 is outside split 'test' (500 tasks)")]
    [InlineData(new[] { "env", "show", "arith:level=1" }, 1, "unknown option level")]
    public void Show_reports_bad_input_in_one_line(string[] args, int exitCode, string message)
    {
        var r = CliRunner.Run(args);
        r.ExitCode.ShouldBe(exitCode);
        r.Err.ShouldContain(message);
        r.Err.ShouldNotContain("   at ");
    }
}
