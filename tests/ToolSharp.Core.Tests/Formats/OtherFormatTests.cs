using ToolSharp.Core.Formats;
using ToolSharp.Core.Tools;
using static ToolSharp.Core.Tests.Formats.FormatTestTools;

namespace ToolSharp.Core.Tests.Formats;

public class Qwen3CoderFormatTests
{
    private static readonly ToolCallFormat F = ToolCallFormats.Qwen3Coder;

    [Fact]
    public void Formats_like_the_qwen3_coder_template()
    {
        F.Format([Call("get_weather", """{"city":"Paris","days":2,"metric":true}""")]).ShouldBe(
            "<tool_call>\n<function=get_weather>\n<parameter=city>\nParis\n</parameter>\n<parameter=days>\n2\n</parameter>\n<parameter=metric>\nTrue\n</parameter>\n</function>\n</tool_call>");
    }

    [Fact]
    public void Values_are_typed_by_the_schema()
    {
        var text = "<tool_call>\n<function=get_weather>\n<parameter=city>\n42\n</parameter>\n<parameter=days>\n3\n</parameter>\n</function>\n</tool_call>";
        ShouldHaveCalls(F.Parse(text, OfferedTools), Call("get_weather", """{"city":"42","days":3}"""));
        ShouldHaveCalls(F.Parse(text), Call("get_weather", """{"city":42,"days":3}"""));
    }

    [Fact]
    public void Multi_line_values_and_json_objects()
    {
        var text = "<tool_call>\n<function=web.search>\n<parameter=query>\nline one\nline two\n</parameter>\n<parameter=filters>\n{\"region\": \"EU\"}\n</parameter>\n</function>\n</tool_call>";
        ShouldHaveCalls(F.Parse(text, OfferedTools), Call("web.search", """{"query":"line one\nline two","filters":{"region":"EU"}}"""));
    }

    [Theory]
    [InlineData("<tool_call>\n<function=get_weather>\n<parameter=city>\nParis\n</function>\n</tool_call>", ToolCallErrorKind.UnterminatedTag)]
    [InlineData("<tool_call>\n<function=get_weather>\n<parameter=city>\nParis\n</parameter>\n", ToolCallErrorKind.UnterminatedTag)]
    [InlineData("<tool_call>\n{\"name\": \"get_weather\"}\n</tool_call>", ToolCallErrorKind.InvalidStructure)]
    [InlineData("<tool_call>\n<function=get_weather>\nhello\n</function>\n</tool_call>", ToolCallErrorKind.InvalidStructure)]
    [InlineData("<tool_call>\n<function=get_weather>\n<parameter=city>\nParis\n</parameter>\n<parameter=days>\nthree\n</parameter>\n</function>\n</tool_call>", ToolCallErrorKind.WrongType)]
    [InlineData("<tool_call>\n<function=nope>\n</function>\n</tool_call>", ToolCallErrorKind.UnknownFunction)]
    public void Malformed_output_yields_one_precise_error(string text, ToolCallErrorKind kind) =>
        SingleErrorKind(F.Parse(text, OfferedTools)).ShouldBe(kind);
}

public class Llama3JsonFormatTests
{
    private static readonly ToolCallFormat F = ToolCallFormats.Llama3;

    [Fact]
    public void Formats_with_parameters_key_and_semicolons()
    {
        F.Format([Call("a", """{"x":1}"""), Call("b", "{}")]).ShouldBe("{\"name\": \"a\", \"parameters\": {\"x\": 1}}; {\"name\": \"b\", \"parameters\": {}}");
    }

    [Fact]
    public void Parses_python_tag_and_several_calls()
    {
        var r = F.Parse("<|python_tag|>{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}; {\"name\": \"get_weather\", \"parameters\": {\"city\": \"Rome\"}}<|eom_id|>", OfferedTools);
        ShouldHaveCalls(r, Call("get_weather", """{"city":"Paris"}"""), Call("get_weather", """{"city":"Rome"}"""));
        r.Content.ShouldBe("");
    }

    [Fact]
    public void Prose_is_content() => F.Parse("The weather is fine.").Calls.ShouldBeEmpty();

    [Theory]
    [InlineData("{\"name\": \"get_weather\", \"parameters\": {\"city\": }}", ToolCallErrorKind.MalformedJson)]
    [InlineData("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}", ToolCallErrorKind.MalformedJson)]
    [InlineData("{\"parameters\": {}}", ToolCallErrorKind.InvalidStructure)]
    [InlineData("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}; hello", ToolCallErrorKind.InvalidStructure)]
    [InlineData("{\"name\": \"unknown\", \"parameters\": {}}", ToolCallErrorKind.UnknownFunction)]
    public void Malformed_output_yields_one_precise_error(string text, ToolCallErrorKind kind) =>
        SingleErrorKind(F.Parse(text, OfferedTools)).ShouldBe(kind);
}

public class MistralFormatTests
{
    private static readonly ToolCallFormat F = ToolCallFormats.Mistral;

    [Fact]
    public void Formats_a_list_with_ids()
    {
        F.Format([ToolCall.FromJson("a", """{"x":1}""", "abc123XYZ")]).ShouldBe("[TOOL_CALLS][{\"name\": \"a\", \"arguments\": {\"x\": 1}, \"id\": \"abc123XYZ\"}]");
    }

    [Fact]
    public void Parses_list_form_keeping_ids_and_content()
    {
        var r = F.Parse("Checking.[TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}, \"id\": \"a1b2c3d4e\"}]</s>", OfferedTools);
        ShouldHaveCalls(r, Call("get_weather", """{"city":"Paris"}"""));
        r.Calls[0].Id.ShouldBe("a1b2c3d4e");
        r.Content.ShouldBe("Checking.");
    }

    [Fact]
    public void Parses_v11_named_form()
    {
        var r = F.Parse("[TOOL_CALLS]get_weather[ARGS]{\"city\": \"Paris\"}[TOOL_CALLS]get_weather[ARGS]{\"city\": \"Rome\"}", OfferedTools);
        ShouldHaveCalls(r, Call("get_weather", """{"city":"Paris"}"""), Call("get_weather", """{"city":"Rome"}"""));
    }

    [Theory]
    [InlineData("[TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": {]", ToolCallErrorKind.MalformedJson)]
    [InlineData("[TOOL_CALLS]garbage", ToolCallErrorKind.InvalidStructure)]
    [InlineData("[TOOL_CALLS][{\"arguments\": {}}]", ToolCallErrorKind.InvalidStructure)]
    [InlineData("[TOOL_CALLS]get_weather[ARGS]{\"city\": ", ToolCallErrorKind.MalformedJson)]
    public void Malformed_output_yields_one_precise_error(string text, ToolCallErrorKind kind) =>
        SingleErrorKind(F.Parse(text, OfferedTools)).ShouldBe(kind);
}

public class JsonFormatTests
{
    private static readonly ToolCallFormat F = ToolCallFormats.Json;

    [Fact]
    public void One_call_is_an_object_several_an_array()
    {
        F.Format([Call("a", "{}")]).ShouldBe("{\"name\": \"a\", \"arguments\": {}}");
        F.Format([Call("a", "{}"), Call("b", "{}")]).ShouldBe("[{\"name\": \"a\", \"arguments\": {}}, {\"name\": \"b\", \"arguments\": {}}]");
    }

    [Fact]
    public void Reads_code_fenced_json()
    {
        var r = F.Parse("```json\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}\n```", OfferedTools);
        ShouldHaveCalls(r, Call("get_weather", """{"city":"Oslo"}"""));
        r.Content.ShouldBe("");
    }

    [Theory]
    [InlineData("{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}", ToolCallErrorKind.MalformedJson)]
    [InlineData("{\"foo\": 1}", ToolCallErrorKind.InvalidStructure)]
    [InlineData("[{\"name\": \"get_weather\", \"arguments\": \"Oslo\"}]", ToolCallErrorKind.InvalidStructure)]
    public void Malformed_output_yields_one_precise_error(string text, ToolCallErrorKind kind) =>
        SingleErrorKind(F.Parse(text, OfferedTools)).ShouldBe(kind);
}
