using ToolSharp.Core.Json;
using System.Text;
using System.Text.Json;
using ToolSharp.Core.Errors;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;

namespace ToolSharp.Core.WireFormats;

/// <summary>How <c>tool_calls[].function.arguments</c> is written: a JSON string (OpenAI wire) or an object (HF templates).</summary>
public enum ArgumentsStyle
{
    String,
    Object,
}

/// <summary>Reads and writes the OpenAI chat-completions JSON shapes: messages, <c>tools</c>, <c>tool_calls</c>.</summary>
/// <remarks>
/// Reading is strict about shape (a wrong type names the field, expected vs. found) but lenient where real servers
/// differ: content may be a string, null or an array of text parts; <c>arguments</c> may be a JSON string or an
/// object; reasoning may be <c>reasoning_content</c> or <c>reasoning</c>. An arguments string that is not valid JSON
/// is kept verbatim as a string value (a malformed call is data, not a crash).
/// </remarks>
public static class OpenAiChatJson
{
    // ---------- reading ----------

    /// <summary>Reads a <c>{"messages": [...], "tools": [...]}</c> document.</summary>
    public static Conversation ReadConversation(JsonElement root, string source = "<json>")
    {
        Expect(root, JsonValueKind.Object, source, "$", "an object with \"messages\"");
        if (!root.TryGetProperty("messages", out var messages))
            throw new InputFormatException(source, "messages", "an array of messages", "nothing");
        var tools = root.TryGetProperty("tools", out var t) && t.ValueKind != JsonValueKind.Null ? ReadTools(t, source, "tools") : [];
        return new Conversation(ReadMessages(messages, source, "messages"), tools);
    }

    /// <summary>Reads a conversation document from a file.</summary>
    public static Conversation ReadConversationFile(string path) => ReadConversation(JsonValues.ParseFile(path), path);

    public static IReadOnlyList<Message> ReadMessages(JsonElement array, string source = "<json>", string field = "messages")
    {
        Expect(array, JsonValueKind.Array, source, field, "an array of messages");
        var list = new List<Message>();
        var i = 0;
        foreach (var m in array.EnumerateArray()) list.Add(ReadMessage(m, source, $"{field}[{i++}]"));
        return list;
    }

    public static Message ReadMessage(JsonElement m, string source = "<json>", string field = "message")
    {
        Expect(m, JsonValueKind.Object, source, field, "a message object");
        var roleText = RequireString(m, "role", source, field);
        if (!ChatRoleNames.TryParse(roleText, out var role))
            throw new InputFormatException(source, field + ".role", "one of system, user, assistant, tool", $"'{roleText}'");

        var content = m.TryGetProperty("content", out var c) ? ReadContent(c, source, field + ".content") : null;
        string? reasoning = null;
        if (m.TryGetProperty("reasoning_content", out var r) && r.ValueKind == JsonValueKind.String) reasoning = r.GetString();
        else if (m.TryGetProperty("reasoning", out var r2) && r2.ValueKind == JsonValueKind.String) reasoning = r2.GetString();

        IReadOnlyList<ToolCall> calls = [];
        if (m.TryGetProperty("tool_calls", out var tc) && tc.ValueKind != JsonValueKind.Null)
            calls = ReadToolCalls(tc, source, field + ".tool_calls");

        return new Message
        {
            Role = role,
            Content = content,
            ReasoningContent = reasoning,
            ToolCalls = calls,
            ToolCallId = OptionalString(m, "tool_call_id", source, field),
            Name = OptionalString(m, "name", source, field),
        };
    }

    /// <summary>Reads <c>tool_calls</c>: OpenAI entries (<c>{"id","type","function":{"name","arguments"}}</c>) or bare <c>{"name","arguments"}</c>.</summary>
    public static IReadOnlyList<ToolCall> ReadToolCalls(JsonElement array, string source = "<json>", string field = "tool_calls")
    {
        Expect(array, JsonValueKind.Array, source, field, "an array of tool calls");
        var list = new List<ToolCall>();
        var i = 0;
        foreach (var call in array.EnumerateArray()) list.Add(ReadToolCall(call, source, $"{field}[{i++}]"));
        return list;
    }

    public static ToolCall ReadToolCall(JsonElement call, string source = "<json>", string field = "tool_call")
    {
        Expect(call, JsonValueKind.Object, source, field, "a tool call object");
        var id = OptionalString(call, "id", source, field);
        var fn = call;
        var fnField = field;
        if (call.TryGetProperty("function", out var f))
        {
            Expect(f, JsonValueKind.Object, source, field + ".function", "an object with name and arguments");
            fn = f;
            fnField = field + ".function";
        }
        var name = RequireString(fn, "name", source, fnField);
        JsonElement args = JsonValues.EmptyObject;
        if (fn.TryGetProperty("arguments", out var a) || fn.TryGetProperty("parameters", out a))
        {
            args = a.ValueKind switch
            {
                JsonValueKind.String => JsonValues.TryParse(a.GetString()!, out var parsed, out _, out _) ? parsed : a.Clone(),
                JsonValueKind.Null => JsonValues.EmptyObject,
                _ => a.Clone(),
            };
        }
        return new ToolCall(name, args, id);
    }

    /// <summary>Reads <c>tools</c>: <c>[{"type":"function","function":{...}}]</c>, also accepting bare function objects.</summary>
    public static IReadOnlyList<ToolSpec> ReadTools(JsonElement array, string source = "<json>", string field = "tools")
    {
        Expect(array, JsonValueKind.Array, source, field, "an array of tools");
        var list = new List<ToolSpec>();
        var i = 0;
        foreach (var t in array.EnumerateArray()) list.Add(ReadTool(t, source, $"{field}[{i++}]"));
        return list;
    }

    public static ToolSpec ReadTool(JsonElement tool, string source = "<json>", string field = "tool")
    {
        Expect(tool, JsonValueKind.Object, source, field, "a tool object");
        if (tool.TryGetProperty("type", out var type))
        {
            if (type.ValueKind != JsonValueKind.String || type.GetString() != "function")
                throw new InputFormatException(source, field + ".type", "\"function\"", type.GetRawText());
            if (!tool.TryGetProperty("function", out var fn))
                throw new InputFormatException(source, field + ".function", "a function object", "nothing");
            return BfclSchema.ToToolSpec(fn, source, field + ".function");
        }
        return BfclSchema.ToToolSpec(tool, source, field);
    }

    // ---------- writing ----------

    public static void WriteMessage(Utf8JsonWriter w, Message m, ArgumentsStyle style = ArgumentsStyle.String)
    {
        w.WriteStartObject();
        w.WriteString("role", m.Role.ToWire());
        if (m.Role == ChatRole.Tool && m.ToolCallId is not null) w.WriteString("tool_call_id", m.ToolCallId);
        if (m.Name is not null) w.WriteString("name", m.Name);
        if (m.Content is null) w.WriteNull("content");
        else w.WriteString("content", m.Content);
        if (m.ReasoningContent is not null) w.WriteString("reasoning_content", m.ReasoningContent);
        if (m.ToolCalls.Count > 0)
        {
            w.WritePropertyName("tool_calls");
            WriteToolCalls(w, m.ToolCalls, style);
        }
        w.WriteEndObject();
    }

    public static void WriteToolCalls(Utf8JsonWriter w, IEnumerable<ToolCall> calls, ArgumentsStyle style = ArgumentsStyle.String)
    {
        w.WriteStartArray();
        foreach (var call in calls)
        {
            w.WriteStartObject();
            if (call.Id is not null) w.WriteString("id", call.Id);
            w.WriteString("type", "function");
            w.WritePropertyName("function");
            w.WriteStartObject();
            w.WriteString("name", call.Name);
            if (style == ArgumentsStyle.String || !call.HasObjectArguments) w.WriteString("arguments", call.ArgumentsJson);
            else
            {
                w.WritePropertyName("arguments");
                call.Arguments.WriteTo(w);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static void WriteTool(Utf8JsonWriter w, ToolSpec tool)
    {
        w.WriteStartObject();
        w.WriteString("type", "function");
        w.WritePropertyName("function");
        w.WriteStartObject();
        w.WriteString("name", tool.Name);
        w.WriteString("description", tool.Description);
        w.WritePropertyName("parameters");
        tool.Parameters.WriteTo(w);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteConversation(Utf8JsonWriter w, Conversation conversation, ArgumentsStyle style = ArgumentsStyle.String)
    {
        w.WriteStartObject();
        w.WritePropertyName("messages");
        w.WriteStartArray();
        foreach (var m in conversation.Messages) WriteMessage(w, m, style);
        w.WriteEndArray();
        if (conversation.Tools.Count > 0)
        {
            w.WritePropertyName("tools");
            w.WriteStartArray();
            foreach (var t in conversation.Tools) WriteTool(w, t);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    public static string ToJson(Conversation conversation, bool indented = false, ArgumentsStyle style = ArgumentsStyle.String) =>
        Write(w => WriteConversation(w, conversation, style), indented);

    public static string ToJson(Message message, bool indented = false, ArgumentsStyle style = ArgumentsStyle.String) =>
        Write(w => WriteMessage(w, message, style), indented);

    public static string ToJson(IEnumerable<ToolSpec> tools, bool indented = false) =>
        Write(w =>
        {
            w.WriteStartArray();
            foreach (var t in tools) WriteTool(w, t);
            w.WriteEndArray();
        }, indented);

    public static JsonElement ToElement(Conversation conversation, ArgumentsStyle style = ArgumentsStyle.String) =>
        JsonValues.Build(w => WriteConversation(w, conversation, style));

    // ---------- helpers ----------

    private static string? ReadContent(JsonElement c, string source, string field)
    {
        switch (c.ValueKind)
        {
            case JsonValueKind.Null: return null;
            case JsonValueKind.String: return c.GetString();
            case JsonValueKind.Array:
                var sb = new StringBuilder();
                var i = 0;
                foreach (var part in c.EnumerateArray())
                {
                    var pf = $"{field}[{i++}]";
                    if (part.ValueKind == JsonValueKind.String) { sb.Append(part.GetString()); continue; }
                    Expect(part, JsonValueKind.Object, source, pf, "a content part");
                    var type = OptionalString(part, "type", source, pf);
                    if (type is null or "text") sb.Append(RequireString(part, "text", source, pf));
                    else throw new InputFormatException(source, pf + ".type", "\"text\" (only text content is supported)", $"\"{type}\"");
                }
                return sb.ToString();
            default:
                throw new InputFormatException(source, field, "a string, null or an array of text parts", JsonValues.SchemaTypeName(c));
        }
    }

    private static void Expect(JsonElement e, JsonValueKind kind, string source, string field, string expected)
    {
        if (e.ValueKind != kind) throw new InputFormatException(source, field, expected, JsonValues.SchemaTypeName(e));
    }

    private static string RequireString(JsonElement obj, string property, string source, string field)
    {
        if (!obj.TryGetProperty(property, out var v))
            throw new InputFormatException(source, $"{field}.{property}", "a string", "nothing");
        if (v.ValueKind != JsonValueKind.String)
            throw new InputFormatException(source, $"{field}.{property}", "a string", JsonValues.SchemaTypeName(v));
        return v.GetString()!;
    }

    private static string? OptionalString(JsonElement obj, string property, string source, string field)
    {
        if (!obj.TryGetProperty(property, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.String)
            throw new InputFormatException(source, $"{field}.{property}", "a string", JsonValues.SchemaTypeName(v));
        return v.GetString();
    }

    private static string Write(Action<Utf8JsonWriter> write, bool indented)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions
               {
                   Indented = indented,
                   Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
               }))
        {
            write(w);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
