using System.Text.Json;
using ToolSharp.Core.Errors;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Core.WireFormats;

namespace ToolSharp.Serving.Requests;

/// <summary>Reads a <c>/v1/chat/completions</c> body into a <see cref="ChatCompletionRequest"/>, refusing bad values with
/// a <see cref="RequestException"/> that names the parameter, what was expected and what was found.</summary>
/// <remarks>Unknown fields are ignored (clients send many); known fields the server cannot honour (<c>n</c> above 1,
/// penalties, a structured <c>response_format</c>) are refused rather than silently dropped.</remarks>
public static class ChatRequestReader
{
    public static ChatCompletionRequest Read(string body)
    {
        if (!JsonValues.TryParse(body, out var root, out var error, out _))
            throw new RequestException($"the body is not JSON: {error}", null, "invalid_json");
        if (root.ValueKind != JsonValueKind.Object) throw RequestException.Invalid("body", "a JSON object", JsonValues.SchemaTypeName(root));

        var model = String(root, "model") ?? throw RequestException.Invalid("model", "a model name", "nothing");
        if (!root.TryGetProperty("messages", out var messagesJson)) throw RequestException.Invalid("messages", "an array of messages", "nothing");
        IReadOnlyList<Message> messages;
        IReadOnlyList<ToolSpec> tools = [];
        try
        {
            messages = OpenAiChatJson.ReadMessages(messagesJson, "request", "messages");
            if (root.TryGetProperty("tools", out var toolsJson) && toolsJson.ValueKind != JsonValueKind.Null)
            {
                if (toolsJson.ValueKind != JsonValueKind.Array) throw RequestException.Invalid("tools", "an array of tools", JsonValues.SchemaTypeName(toolsJson));
                var i = 0;
                foreach (var t in toolsJson.EnumerateArray()) ToolSchemaCheck.Tool(t, $"tools[{i++}]");
                tools = OpenAiChatJson.ReadTools(toolsJson, "request", "tools");
            }
        }
        catch (InputFormatException ex)
        {
            throw RequestException.FromInput(ex);
        }
        if (messages.Count == 0) throw RequestException.Invalid("messages", "at least one message", "[]");
        CheckMessages(messages);
        var duplicate = tools.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw RequestException.Invalid("tools", "distinct function names", $"'{duplicate.Key}' twice");

        var (choice, choiceName) = ToolChoice(root, tools);
        var logprobs = Bool(root, "logprobs") ?? false;
        var top = Int(root, "top_logprobs", 0, 20) ?? 0;
        if (top > 0 && !logprobs) throw RequestException.Invalid("top_logprobs", "logprobs: true alongside it", "logprobs unset or false");

        var n = Int(root, "n", 1, int.MaxValue);
        if (n is > 1) throw RequestException.Invalid("n", "1 (one choice per request is supported)", n.Value.ToString());
        foreach (var penalty in new[] { "frequency_penalty", "presence_penalty" })
            if (root.TryGetProperty(penalty, out var p) && p.ValueKind != JsonValueKind.Null && !(p.ValueKind == JsonValueKind.Number && p.GetDouble() == 0))
                throw RequestException.Invalid(penalty, "0 or absent (penalties are not supported)", p.GetRawText());
        if (root.TryGetProperty("response_format", out var format) && format.ValueKind != JsonValueKind.Null &&
            !(format.ValueKind == JsonValueKind.Object && format.TryGetProperty("type", out var ft) && ft.ValueKind == JsonValueKind.String && ft.GetString() == "text"))
            throw RequestException.Invalid("response_format", "{\"type\": \"text\"} or absent (structured output is not supported)", format.GetRawText());

        var stream = Bool(root, "stream") ?? false;
        var usage = false;
        if (root.TryGetProperty("stream_options", out var options) && options.ValueKind != JsonValueKind.Null)
        {
            if (options.ValueKind != JsonValueKind.Object) throw RequestException.Invalid("stream_options", "an object", JsonValues.SchemaTypeName(options));
            if (!stream) throw RequestException.Invalid("stream_options", "stream: true alongside it", "stream unset or false");
            usage = Bool(options, "include_usage", "stream_options.") ?? false;
        }

        var maxTokens = Int(root, "max_completion_tokens", 1, int.MaxValue) ?? Int(root, "max_tokens", 1, int.MaxValue);
        return new ChatCompletionRequest
        {
            Model = model,
            Conversation = new Conversation(messages, tools),
            ToolChoice = choice,
            ToolChoiceName = choiceName,
            ParallelToolCalls = Bool(root, "parallel_tool_calls") ?? true,
            Stream = stream,
            StreamUsage = usage,
            LogProbs = logprobs,
            TopLogProbs = top,
            Seed = Seed(root),
            MaxTokens = maxTokens,
            Temperature = Number(root, "temperature", 0, 2),
            TopP = TopP(root),
            Stop = Stop(root),
        };
    }

    private static void CheckMessages(IReadOnlyList<Message> messages)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            var m = messages[i];
            var at = $"messages[{i}]";
            if (m.Role == ChatRole.Tool && m.Content is null) throw RequestException.Invalid(at + ".content", "the tool result (a string)", "nothing");
            if (m.Role is ChatRole.User or ChatRole.System && m.Content is null) throw RequestException.Invalid(at + ".content", "a string or text parts", "nothing");
            if (m.Role == ChatRole.Assistant && m.Content is null && m.ToolCalls.Count == 0)
                throw RequestException.Invalid(at, "content or tool_calls in an assistant message", "neither");
            if (m.Role != ChatRole.Assistant && m.ToolCalls.Count > 0)
                throw RequestException.Invalid(at + ".tool_calls", "tool_calls only in assistant messages", $"a {m.Role.ToWire()} message with tool_calls");
        }
    }

    private static (ToolChoiceMode, string?) ToolChoice(JsonElement root, IReadOnlyList<ToolSpec> tools)
    {
        if (!root.TryGetProperty("tool_choice", out var c) || c.ValueKind == JsonValueKind.Null) return (ToolChoiceMode.Auto, null);
        const string expected = "\"auto\", \"none\", \"required\" or {\"type\": \"function\", \"function\": {\"name\": ...}}";
        if (c.ValueKind == JsonValueKind.String)
        {
            var mode = c.GetString() switch
            {
                "auto" => ToolChoiceMode.Auto,
                "none" => ToolChoiceMode.None,
                "required" => ToolChoiceMode.Required,
                _ => throw RequestException.Invalid("tool_choice", expected, c.GetRawText()),
            };
            if (mode == ToolChoiceMode.Required && tools.Count == 0) throw RequestException.Invalid("tool_choice", "tools to choose from with \"required\"", "no tools");
            return (mode, null);
        }
        if (c.ValueKind != JsonValueKind.Object || !c.TryGetProperty("function", out var fn) || fn.ValueKind != JsonValueKind.Object ||
            !fn.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            throw RequestException.Invalid("tool_choice", expected, c.GetRawText());
        var text = name.GetString()!;
        if (tools.All(t => t.Name != text))
            throw RequestException.Invalid("tool_choice.function.name", tools.Count == 0 ? "a function among the request's tools (there are none)" : "one of " + string.Join(", ", tools.Select(t => t.Name)), $"'{text}'");
        return (ToolChoiceMode.Function, text);
    }

    private static IReadOnlyList<string> Stop(JsonElement root)
    {
        if (!root.TryGetProperty("stop", out var s) || s.ValueKind == JsonValueKind.Null) return [];
        if (s.ValueKind == JsonValueKind.String) return s.GetString()!.Length == 0 ? throw RequestException.Invalid("stop", "a non-empty string", "\"\"") : [s.GetString()!];
        if (s.ValueKind != JsonValueKind.Array || s.GetArrayLength() > 4 || s.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String || x.GetString()!.Length == 0))
            throw RequestException.Invalid("stop", "a string or an array of up to 4 non-empty strings", s.GetRawText());
        return s.EnumerateArray().Select(x => x.GetString()!).ToList();
    }

    private static ulong? Seed(JsonElement root)
    {
        if (!root.TryGetProperty("seed", out var s) || s.ValueKind == JsonValueKind.Null) return null;
        if (s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var signed)) return unchecked((ulong)signed);
        if (s.ValueKind == JsonValueKind.Number && s.TryGetUInt64(out var unsigned)) return unsigned;
        throw RequestException.Invalid("seed", "an integer", s.GetRawText());
    }

    private static float? TopP(JsonElement root)
    {
        var p = Number(root, "top_p", 0, 1);
        return p is 0 ? throw RequestException.Invalid("top_p", "a number in (0, 1]", "0") : p;
    }

    private static string? String(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw RequestException.Invalid(name, "a string", JsonValues.SchemaTypeName(v));
    }

    private static bool? Bool(JsonElement obj, string name, string prefix = "")
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw RequestException.Invalid(prefix + name, "true or false", v.GetRawText()),
        };
    }

    private static int? Int(JsonElement root, string name, int min, int max)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        var range = max == int.MaxValue ? $"an integer ≥ {min}" : $"an integer in [{min}, {max}]";
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i) || i < min || i > max) throw RequestException.Invalid(name, range, v.GetRawText());
        return i;
    }

    private static float? Number(JsonElement root, string name, double min, double max)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || v.GetDouble() is var d && (d < min || d > max || double.IsNaN(d)))
            throw RequestException.Invalid(name, $"a number in [{min}, {max}]", v.GetRawText());
        return (float)v.GetDouble();
    }
}
