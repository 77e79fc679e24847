using ToolSharp.Core.WireFormats;
using System.Text.Json;
using ToolSharp.Core.Errors;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;

namespace ToolSharp.Core.Tests.Json;

public class OpenAiChatJsonTests
{
    private const string Sample = """
    {
      "messages": [
        {"role": "system", "content": "You are helpful."},
        {"role": "user", "content": [{"type": "text", "text": "Weather in "}, {"type": "text", "text": "Paris?"}]},
        {"role": "assistant", "content": null, "reasoning_content": "Need the tool.",
         "tool_calls": [
           {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\", \"days\": 2}"}},
           {"id": "call_2", "type": "function", "function": {"name": "get_time", "arguments": {"tz": "CET"}}}
         ]},
        {"role": "tool", "tool_call_id": "call_1", "name": "get_weather", "content": "sunny"},
        {"role": "tool", "tool_call_id": "call_2", "content": "12:00"},
        {"role": "assistant", "content": "Sunny at noon."}
      ],
      "tools": [
        {"type": "function", "function": {"name": "get_weather", "description": "Weather.", "parameters": {"type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer"}}, "required": ["city"]}}}
      ]
    }
    """;

    [Fact]
    public void Reads_all_message_shapes()
    {
        var conv = OpenAiChatJson.ReadConversation(JsonValues.Parse(Sample));

        conv.Messages.Count.ShouldBe(6);
        conv.Messages[1].Content.ShouldBe("Weather in Paris?");
        var assistant = conv.Messages[2];
        assistant.Role.ShouldBe(ChatRole.Assistant);
        assistant.Content.ShouldBeNull();
        assistant.ReasoningContent.ShouldBe("Need the tool.");
        assistant.ToolCalls.Count.ShouldBe(2);
        assistant.ToolCalls[0].Id.ShouldBe("call_1");
        assistant.ToolCalls[0].Arguments.GetProperty("days").GetInt32().ShouldBe(2);
        assistant.ToolCalls[1].Arguments.GetProperty("tz").GetString().ShouldBe("CET");
        conv.Messages[3].ToolCallId.ShouldBe("call_1");
        conv.Messages[3].Name.ShouldBe("get_weather");
        conv.Tools.Single().RequiredParameters.ShouldBe(["city"]);
    }

    [Fact]
    public void Write_then_read_is_identity()
    {
        var conv = OpenAiChatJson.ReadConversation(JsonValues.Parse(Sample));
        foreach (var style in new[] { ArgumentsStyle.String, ArgumentsStyle.Object })
        {
            var text = OpenAiChatJson.ToJson(conv, indented: true, style);
            OpenAiChatJson.ReadConversation(JsonValues.Parse(text)).ShouldBe(conv);
        }
    }

    [Fact]
    public void Writes_arguments_as_a_json_string_in_wire_style()
    {
        var m = Message.Assistant(null, [ToolCall.FromJson("f", """{"a":"é"}""", "c1")]);
        var json = OpenAiChatJson.ToJson(m);
        json.ShouldBe("""{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\"a\":\"é\"}"}}]}""");
    }

    [Fact]
    public void Keeps_unparseable_arguments_verbatim()
    {
        var call = OpenAiChatJson.ReadToolCall(JsonValues.Parse("""{"function": {"name": "f", "arguments": "{\"a\": 1"}}"""));
        call.HasObjectArguments.ShouldBeFalse();
        call.ArgumentsJson.ShouldBe("{\"a\": 1");
    }

    [Fact]
    public void Wrong_shapes_name_the_field_and_expected_vs_found()
    {
        var ex = Should.Throw<InputFormatException>(() => OpenAiChatJson.ReadConversation(
            JsonValues.Parse("""{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "tool_calls": [{"function": {"name": 3}}]}]}"""), "conv.json"));
        ex.Message.ShouldBe("conv.json: messages[1].tool_calls[0].function.name: expected a string, found integer");

        var role = Should.Throw<InputFormatException>(() => OpenAiChatJson.ReadMessage(JsonValues.Parse("""{"role": "robot"}"""), "x", "m"));
        role.Field.ShouldBe("m.role");
        role.Found.ShouldBe("'robot'");
    }

    [Fact]
    public void Syntax_errors_report_line_numbers()
    {
        var ex = Should.Throw<InputFormatException>(() => JsonValues.ParseText("{\n  \"messages\": [\n  ,]\n}", "c.json"));
        ex.Line.ShouldBe(3);
        ex.Message.ShouldStartWith("c.json:3:");
    }

    [Fact]
    public void Accepts_bare_function_objects_as_tools()
    {
        var tools = OpenAiChatJson.ReadTools(JsonValues.Parse("""[{"name": "f", "description": "d", "parameters": {"type": "dict", "properties": {"x": {"type": "float"}}}}]"""));
        tools[0].ParameterSchema("x")!.Value.GetProperty("type").GetString().ShouldBe("number");
        tools[0].Parameters.GetProperty("type").GetString().ShouldBe("object");
    }
}
