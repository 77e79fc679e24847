using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ToolSharp.Core.Tools;
using ToolSharp.Core.WireFormats;
using ToolSharp.Serving.Completions;
using ToolSharp.Serving.Requests;

namespace ToolSharp.Serving.Responses;

/// <summary>OpenAI's response shapes: a chat completion, streamed chunks, the model list and error bodies.</summary>
public static class ChatResponseJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Identity of one response, repeated in every chunk of a stream.</summary>
    public sealed record Header(string Id, long Created, string Model, string Fingerprint);

    public static byte[] Completion(Header h, ChatCompletion c) => Write(w =>
    {
        Start(w, h, "chat.completion");
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WritePropertyName("message");
        OpenAiChatJson.WriteMessage(w, c.Message);
        LogProbs(w, c.LogProbs);
        w.WriteString("finish_reason", c.FinishReason);
        w.WriteEndObject();
        w.WriteEndArray();
        Usage(w, c);
    });

    /// <summary>The first chunk: the assistant role and empty content.</summary>
    public static byte[] RoleChunk(Header h, bool usage) => Chunk(h, usage, w =>
    {
        w.WriteString("role", "assistant");
        w.WriteString("content", "");
    }, null, null);

    public static byte[] ContentChunk(Header h, bool usage, string content, TokenLogProbs? logprobs) =>
        Chunk(h, usage, w => w.WriteString("content", content), logprobs is null ? null : [logprobs], null);

    /// <summary>One tool call whole: its index, id, name and the complete arguments string.</summary>
    public static byte[] ToolCallChunk(Header h, bool usage, int index, ToolCall call) => Chunk(h, usage, w =>
    {
        w.WriteStartArray("tool_calls");
        w.WriteStartObject();
        w.WriteNumber("index", index);
        w.WriteString("id", call.Id);
        w.WriteString("type", "function");
        w.WriteStartObject("function");
        w.WriteString("name", call.Name);
        w.WriteString("arguments", call.ArgumentsJson);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
    }, null, null);

    public static byte[] FinishChunk(Header h, bool usage, string finishReason) => Chunk(h, usage, _ => { }, null, finishReason);

    /// <summary>The last chunk when <c>stream_options.include_usage</c>: no choices, the usage.</summary>
    public static byte[] UsageChunk(Header h, ChatCompletion c) => Write(w =>
    {
        Start(w, h, "chat.completion.chunk");
        w.WriteStartArray("choices");
        w.WriteEndArray();
        Usage(w, c);
    });

    public static byte[] Models(ServedModel model) => Write(w =>
    {
        w.WriteString("object", "list");
        w.WriteStartArray("data");
        Model(w, model);
        w.WriteEndArray();
    });

    public static byte[] Model(ServedModel model) => Write(w => ModelFields(w, model));

    /// <summary>OpenAI's error body: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
    public static byte[] Error(string message, string type, string? param, string code) => Write(w =>
    {
        w.WriteStartObject("error");
        w.WriteString("message", message);
        w.WriteString("type", type);
        if (param is null) w.WriteNull("param");
        else w.WriteString("param", param);
        w.WriteString("code", code);
        w.WriteEndObject();
    });

    public static byte[] Error(RequestException ex) => Error(ex.Message, ex.Type, ex.Param, ex.Code);

    private static void Model(Utf8JsonWriter w, ServedModel model)
    {
        w.WriteStartObject();
        ModelFields(w, model);
        w.WriteEndObject();
    }

    private static void ModelFields(Utf8JsonWriter w, ServedModel model)
    {
        w.WriteString("id", model.Name);
        w.WriteString("object", "model");
        w.WriteNumber("created", model.Created);
        w.WriteString("owned_by", "toolsharp");
        w.WriteNumber("max_model_len", model.MaxTotalTokens);
    }

    private static byte[] Chunk(Header h, bool usage, Action<Utf8JsonWriter> delta, IReadOnlyList<TokenLogProbs>? logprobs, string? finish) => Write(w =>
    {
        Start(w, h, "chat.completion.chunk");
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("delta");
        delta(w);
        w.WriteEndObject();
        LogProbs(w, logprobs);
        if (finish is null) w.WriteNull("finish_reason");
        else w.WriteString("finish_reason", finish);
        w.WriteEndObject();
        w.WriteEndArray();
        if (usage) w.WriteNull("usage");
    });

    private static void Start(Utf8JsonWriter w, Header h, string type)
    {
        w.WriteString("id", h.Id);
        w.WriteString("object", type);
        w.WriteNumber("created", h.Created);
        w.WriteString("model", h.Model);
        w.WriteString("system_fingerprint", h.Fingerprint);
    }

    private static void LogProbs(Utf8JsonWriter w, IReadOnlyList<TokenLogProbs>? logprobs)
    {
        if (logprobs is null)
        {
            w.WriteNull("logprobs");
            return;
        }
        w.WriteStartObject("logprobs");
        w.WriteStartArray("content");
        foreach (var t in logprobs)
        {
            w.WriteStartObject();
            TokenFields(w, t.Token, t.LogProb);
            w.WriteStartArray("top_logprobs");
            foreach (var (token, logprob) in t.Top)
            {
                w.WriteStartObject();
                TokenFields(w, token, logprob);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNull("refusal");
        w.WriteEndObject();
    }

    private static void TokenFields(Utf8JsonWriter w, string token, float logprob)
    {
        w.WriteString("token", token);
        w.WriteNumber("logprob", logprob);
        w.WriteStartArray("bytes");
        foreach (var b in Encoding.UTF8.GetBytes(token)) w.WriteNumberValue(b);
        w.WriteEndArray();
    }

    private static void Usage(Utf8JsonWriter w, ChatCompletion c)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", c.PromptTokens);
        w.WriteNumber("completion_tokens", c.CompletionTokens);
        w.WriteNumber("total_tokens", c.PromptTokens + c.CompletionTokens);
        w.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
