using ToolSharp.Core.Formats;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;

namespace ToolSharp.Core.Tests.Formats;

/// <summary>Tools and helpers shared by the format tests.</summary>
internal static class FormatTestTools
{
    public static readonly ToolSpec Weather = new("get_weather", "Weather for a city.", JsonValues.Parse("""
        {"type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer"}, "metric": {"type": "boolean"}}, "required": ["city"]}
        """));

    public static readonly ToolSpec Search = new("web.search", "Search.", JsonValues.Parse("""
        {"type": "object", "properties": {"query": {"type": "string"}, "filters": {"type": "object"}, "limit": {"type": "number"}}, "required": ["query"]}
        """));

    public static readonly IReadOnlyList<ToolSpec> OfferedTools = [Weather, Search];

    public static ToolCall Call(string name, string args) => ToolCall.FromJson(name, args);

    public static ToolCallErrorKind SingleErrorKind(ParsedOutput output)
    {
        output.Errors.Count.ShouldBe(1, string.Join("; ", output.Errors));
        return output.Errors[0].Kind;
    }

    public static void ShouldHaveCalls(ParsedOutput output, params ToolCall[] expected)
    {
        output.Errors.ShouldBeEmpty();
        output.Calls.Count.ShouldBe(expected.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            output.Calls[i].Name.ShouldBe(expected[i].Name);
            JsonValues.Canonical(output.Calls[i].Arguments).ShouldBe(JsonValues.Canonical(expected[i].Arguments));
        }
    }
}
