using ToolSharp.Core.Formats;
using ToolSharp.Core.Tools;
using static ToolSharp.Core.Tests.Formats.FormatTestTools;

namespace ToolSharp.Core.Tests.Formats;

public class HermesFormatTests
{
    private static readonly ToolCallFormat F = ToolCallFormats.Hermes;

    [Fact]
    public void Formats_like_the_qwen_template()
    {
        F.Format([Call("get_weather", """{"city":"Paris","days":2}""")])
            .ShouldBe("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\", \"days\": 2}}\n</tool_call>");
    }

    [Fact]
    public void Parses_parallel_calls_content_and_reasoning()
    {
        var text = "<think>\nNeed two lookups.\n</think>\n\nLet me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Rome\"}}\n</tool_call>";
        var r = F.Parse(text, OfferedTools);
        ShouldHaveCalls(r, Call("get_weather", """{"city":"Paris"}"""), Call("get_weather", """{"city":"Rome"}"""));
        r.Content.ShouldBe("Let me check.");
        r.Reasoning.ShouldBe("Need two lookups.");
    }

    [Fact]
    public void Closing_tag_inside_a_string_does_not_end_the_call()
    {
        var r = F.Parse("<tool_call>{\"name\": \"web.search\", \"arguments\": {\"query\": \"what is </tool_call>?\"}}</tool_call>");
        ShouldHaveCalls(r, Call("web.search", """{"query":"what is </tool_call>?"}"""));
    }

    [Fact]
    public void Accepts_double_encoded_arguments_and_parameters_key()
    {
        ShouldHaveCalls(F.Parse("<tool_call>{\"name\": \"f\", \"arguments\": \"{\\\"a\\\": 1}\"}</tool_call>"), Call("f", """{"a":1}"""));
        ShouldHaveCalls(F.Parse("<tool_call>{\"name\": \"f\", \"parameters\": {\"a\": 1}}</tool_call>"), Call("f", """{"a":1}"""));
    }

    [Fact]
    public void Plain_text_is_content_without_calls()
    {
        var r = F.Parse("It is sunny.");
        r.Calls.ShouldBeEmpty();
        r.Errors.ShouldBeEmpty();
        r.Content.ShouldBe("It is sunny.");
    }

    [Theory]
    [InlineData("<tool_call>{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}", ToolCallErrorKind.UnterminatedTag)]
    [InlineData("<tool_call>{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Par", ToolCallErrorKind.UnterminatedTag)]
    [InlineData("<tool_call>{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\",}}</tool_call>", ToolCallErrorKind.MalformedJson)]
    [InlineData("<tool_call>{\"name\": get_weather}</tool_call>", ToolCallErrorKind.MalformedJson)]
    [InlineData("<tool_call>{\"arguments\": {}}</tool_call>", ToolCallErrorKind.InvalidStructure)]
    [InlineData("<tool_call>{\"name\": \"get_weather\", \"arguments\": [1]}</tool_call>", ToolCallErrorKind.InvalidStructure)]
    [InlineData("<tool_call>[{\"name\": \"get_weather\"}]</tool_call>", ToolCallErrorKind.InvalidStructure)]
    [InlineData("<tool_call>\n</tool_call>", ToolCallErrorKind.InvalidStructure)]
    [InlineData("<tool_call>{\"name\": \"get_wether\", \"arguments\": {\"city\": \"Paris\"}}</tool_call>", ToolCallErrorKind.UnknownFunction)]
    [InlineData("<tool_call>{\"name\": \"get_weather\", \"arguments\": {\"city\": 7}}</tool_call>", ToolCallErrorKind.WrongType)]
    [InlineData("<tool_call>{\"name\": \"get_weather\", \"arguments\": {}}</tool_call>", ToolCallErrorKind.MissingRequired)]
    public void Malformed_output_yields_one_precise_error(string text, ToolCallErrorKind kind) =>
        SingleErrorKind(F.Parse(text, OfferedTools)).ShouldBe(kind);

    [Fact]
    public void A_bad_call_does_not_hide_the_good_ones()
    {
        var r = F.Parse("<tool_call>{bad}</tool_call><tool_call>{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}</tool_call>");
        r.Calls.Single().Name.ShouldBe("get_weather");
        r.Errors.Single().Kind.ShouldBe(ToolCallErrorKind.MalformedJson);
        r.Errors.Single().Position.ShouldBe(11); // where the JSON starts
    }
}
