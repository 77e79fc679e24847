using ToolSharp.Testing;

namespace ToolSharp.Cli.Tests;

public class ParseFormatCommandTests
{
    private const string ToolsJson = """
        [{"type": "function", "function": {"name": "get_weather", "description": "d",
          "parameters": {"type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer"}}, "required": ["city"]}}}]
        """;

    [Fact]
    public void Parse_prints_calls_as_json()
    {
        var r = CliRunner.RunWithInput("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>", "parse", "--format", "hermes");
        r.ExitCode.ShouldBe(0);
        r.Out.Trim().ShouldBe("""[{"name":"get_weather","arguments":{"city":"Paris"}}]""");
    }

    [Fact]
    public void Parse_error_is_data_with_exit_0()
    {
        var r = CliRunner.RunWithInput("<tool_call>{\"name\": \"get_weather\"", "parse", "--format", "hermes");
        r.ExitCode.ShouldBe(0);
        r.Out.ShouldStartWith("""{"error":{"kind":"unterminated_tag","message":""");
    }

    [Fact]
    public void Parse_with_tools_reports_schema_errors()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("tools.json"), ToolsJson);
        var r = CliRunner.RunWithInput("[get_weather(city='Oslo', days='2')]", "parse", "-f", "pythonic", "--tools", dir.File("tools.json"));
        r.ExitCode.ShouldBe(0);
        r.Out.ShouldContain("\"kind\":\"wrong_type\"");
        r.Out.ShouldContain("parameter 'days': expected integer, found string");
    }

    [Fact]
    public void Parse_full_reports_content_and_reasoning()
    {
        var r = CliRunner.RunWithInput("<think>plan</think>Hello", "parse", "-f", "hermes", "--full");
        r.Out.Trim().ShouldBe("""{"content":"Hello","reasoning":"plan","calls":[],"errors":[]}""");
    }

    [Fact]
    public void Unknown_format_is_a_usage_error()
    {
        var r = CliRunner.RunWithInput("x", "parse", "--format", "xml");
        r.ExitCode.ShouldBe(2);
        r.Err.ShouldContain("unknown tool-call format 'xml'");
    }

    [Fact]
    public void Missing_tools_file_is_a_one_line_error()
    {
        var r = CliRunner.RunWithInput("x", "parse", "-f", "hermes", "--tools", "/nonexistent/tools.json");
        r.ExitCode.ShouldBe(1);
        r.Err.Trim().ShouldBe("error: /nonexistent/tools.json: file not found");
    }

    [Theory]
    [InlineData("hermes")]
    [InlineData("qwen3-coder")]
    [InlineData("llama3")]
    [InlineData("mistral")]
    [InlineData("pythonic")]
    [InlineData("json")]
    public void Format_then_parse_round_trips_through_the_cli(string format)
    {
        const string calls = """[{"name":"get_weather","arguments":{"city":"Paris \"</tool_call>\"","days":3}}]""";
        var text = CliRunner.RunWithInput(calls, "format", "--format", format);
        text.ExitCode.ShouldBe(0);
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("tools.json"), ToolsJson);
        var parsed = CliRunner.RunWithInput(text.Out, "parse", "--format", format, "--tools", dir.File("tools.json"));
        parsed.Out.Trim().ShouldBe(calls);
    }

    [Fact]
    public void Format_reports_bad_json_with_line_and_column()
    {
        var r = CliRunner.RunWithInput("[\n{\"name\": 3}]", "format", "-f", "hermes");
        r.ExitCode.ShouldBe(1);
        r.Err.Trim().ShouldBe("error: <stdin>: $[0].name: expected a string, found integer");
    }
}
