using System.Text.Json;

namespace ToolSharp.Testing;

/// <summary>A fake server's answer: a status and body, a dropped connection, or no answer at all.</summary>
public sealed record FakeResponse(FakeResponseKind Kind, int StatusCode, string Body, int? RetryAfterSeconds = null)
{
    public static FakeResponse Json(string body) => new(FakeResponseKind.Body, 200, body);

    public static FakeResponse Status(int code, string body = "{\"error\":{\"message\":\"fake failure\"}}", int? retryAfterSeconds = null) =>
        new(FakeResponseKind.Body, code, body, retryAfterSeconds);

    public static FakeResponse Drop { get; } = new(FakeResponseKind.Drop, 0, "");

    public static FakeResponse Hang { get; } = new(FakeResponseKind.Hang, 0, "");

    /// <summary>A chat-completions body with text content and usage.</summary>
    public static FakeResponse Chat(string? content, string toolCallsJson = "", int promptTokens = 10, int completionTokens = 5, string finish = "stop")
    {
        var calls = toolCallsJson.Length > 0 ? $",\"tool_calls\":{toolCallsJson}" : "";
        var contentJson = content is null ? "null" : JsonSerializer.Serialize(content);
        return Json("{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"fake\",\"system_fingerprint\":\"fp_fake\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + contentJson + calls +
            "},\"finish_reason\":\"" + finish + "\"}],\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + completionTokens + ",\"total_tokens\":" + (promptTokens + completionTokens) + "}}");
    }
}
