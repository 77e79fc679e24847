using ToolSharp.Core.WireFormats;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using ToolSharp.Core.Formats;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Evaluation.Agent;

namespace ToolSharp.Evaluation.Policies;

/// <summary>A policy backed by OpenAI-compatible HTTP endpoints: native <c>tools</c> mode or prompt mode, retries with
/// seeded exponential backoff on 429/5xx/timeouts/dropped connections/unreadable bodies, a concurrency limit, and
/// several base URLs load-balanced.</summary>
/// <remarks>Plain <see cref="HttpClient"/> rather than the OpenAI SDK: the SDK rejects the non-standard fields local
/// servers send and retries on its own schedule, while the evaluation needs every attempt counted and every
/// parameter on the wire visible.</remarks>
public sealed class OpenAiPolicy : IPolicy, IDisposable
{
    private readonly OpenAiPolicyOptions _options;
    private readonly HttpClient _http;
    private readonly EndpointPool _pool;
    private readonly Backoff _backoff;
    private readonly bool _ownsClient;

    public OpenAiPolicy(OpenAiPolicyOptions options, HttpClient? http = null)
    {
        _options = options;
        _ownsClient = http is null;
        _http = http ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _pool = new EndpointPool(options.BaseUrls, options.MaxConcurrency);
        _backoff = new Backoff(options.Retry);
        Identity = new PolicyIdentity("openai", options.Model, string.Join(",", _pool.Endpoints.Select(u => u.AbsoluteUri.TrimEnd('/'))),
            TemplateHash: options.CompletionsRenderer?.Hash);
    }

    public PolicyIdentity Identity { get; }

    public async Task<PolicyTurn> NextAsync(PolicyRequest request, CancellationToken cancellationToken = default)
    {
        var completions = request.PromptMode && _options.CompletionsRenderer is not null;
        var visible = request.Visible;
        var body = completions ? CompletionsBody(visible, request) : ChatBody(visible, request);
        var path = completions ? "completions" : "chat/completions";

        var clock = Stopwatch.StartNew();
        var failures = new List<string>();
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan? retryAfter = null;
            string? endpoint = null;
            try
            {
                using var lease = await _pool.Acquire(cancellationToken).ConfigureAwait(false);
                endpoint = lease.BaseUrl.AbsoluteUri;
                using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attemptCts.CancelAfter(_options.Retry.AttemptTimeout);
                using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(lease.BaseUrl, path))
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                if (!string.IsNullOrEmpty(_options.ApiKey)) message.Headers.Authorization = new("Bearer", _options.ApiKey);
                using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, attemptCts.Token).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(attemptCts.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    if (TryReadResponse(text, request, completions, out var turn, out var problem))
                        return turn! with { Latency = clock.Elapsed, Attempts = attempt, Endpoint = endpoint.TrimEnd('/') };
                    failures.Add($"{endpoint}: unreadable response ({problem})");
                }
                else if (IsRetryable(response.StatusCode))
                {
                    retryAfter = response.Headers.RetryAfter?.Delta;
                    failures.Add($"{endpoint}: HTTP {(int)response.StatusCode} {Snippet(text)}");
                }
                else
                {
                    throw new PolicyException($"{endpoint}{path}: HTTP {(int)response.StatusCode} {Snippet(text)} (not retried: the request itself was refused)");
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{endpoint}: no answer within {_options.Retry.AttemptTimeout.TotalSeconds:0.###} s");
            }
            catch (HttpRequestException ex)
            {
                failures.Add($"{endpoint}: {ex.Message}");
            }
            catch (IOException ex)
            {
                failures.Add($"{endpoint}: {ex.Message}");
            }

            if (attempt >= _options.Retry.MaxAttempts)
                throw new PolicyException($"model endpoint failed {attempt} times; last: {failures[^1]}");
            await _options.Retry.Delay(_backoff.Next(attempt, retryAfter), cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    private static string Snippet(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private string ChatBody(Conversation visible, PolicyRequest request) => Write(w =>
    {
        w.WriteString("model", _options.Model);
        w.WritePropertyName("messages");
        w.WriteStartArray();
        foreach (var m in visible.Messages) OpenAiChatJson.WriteMessage(w, m);
        w.WriteEndArray();
        if (!request.PromptMode && visible.Tools.Count > 0)
        {
            w.WritePropertyName("tools");
            w.WriteStartArray();
            foreach (var t in visible.Tools) OpenAiChatJson.WriteTool(w, t);
            w.WriteEndArray();
        }
        if (request.PromptMode && request.Format!.StopSequences.Count > 0)
        {
            w.WritePropertyName("stop");
            w.WriteStartArray();
            foreach (var s in request.Format.StopSequences) w.WriteStringValue(s);
            w.WriteEndArray();
        }
        WriteSampling(w, request.Sampling);
    });

    private string CompletionsBody(Conversation visible, PolicyRequest request) => Write(w =>
    {
        var renderer = _options.CompletionsRenderer!;
        w.WriteString("model", _options.Model);
        w.WriteString("prompt", renderer.Render(visible));
        w.WritePropertyName("stop");
        w.WriteStartArray();
        foreach (var s in renderer.StopSequences) w.WriteStringValue(s);
        w.WriteEndArray();
        WriteSampling(w, request.Sampling);
    });

    private static void WriteSampling(Utf8JsonWriter w, SamplingParameters s)
    {
        if (s.Temperature is { } t) w.WriteNumber("temperature", t);
        if (s.TopP is { } p) w.WriteNumber("top_p", p);
        if (s.Seed is { } seed) w.WriteNumber("seed", seed);
        if (s.MaxTokens is { } max) w.WriteNumber("max_tokens", max);
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Reads a chat or completions response; false (with the reason) when the body is not a usable response,
    /// which is a server fault and retried — unlike malformed tool calls inside a good response, which are scored.</summary>
    private static bool TryReadResponse(string text, PolicyRequest request, bool completions, out PolicyTurn? turn, out string problem)
    {
        turn = null;
        if (!JsonValues.TryParse(text, out var root, out var error, out _)) { problem = "malformed JSON: " + error; return false; }
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("choices", out var choices) ||
            choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
        {
            problem = "no choices";
            return false;
        }
        var choice = choices[0];
        var finish = choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        int? prompt = null, completion = null, cached = null;
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            prompt = Int(usage, "prompt_tokens");
            completion = Int(usage, "completion_tokens");
            if (usage.TryGetProperty("prompt_tokens_details", out var d) && d.ValueKind == JsonValueKind.Object) cached = Int(d, "cached_tokens");
        }
        var fingerprint = root.TryGetProperty("system_fingerprint", out var fp) && fp.ValueKind == JsonValueKind.String ? fp.GetString() : null;

        Message message;
        IReadOnlyList<ToolCallError> errors = [];
        string? raw = null;
        try
        {
            if (completions)
            {
                raw = choice.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                if (raw is null) { problem = "choices[0].text missing"; return false; }
                (message, errors) = Parse(raw, null, request, finish);
            }
            else
            {
                if (!choice.TryGetProperty("message", out var m)) { problem = "choices[0].message missing"; return false; }
                var read = OpenAiChatJson.ReadMessage(m, "response", "choices[0].message");
                if (request.PromptMode)
                {
                    raw = read.Content ?? "";
                    (message, errors) = Parse(raw, read.ReasoningContent, request, finish);
                }
                else
                {
                    (message, errors) = SplitNativeCalls(read with { Role = ChatRole.Assistant });
                }
            }
        }
        catch (Core.Errors.InputFormatException ex)
        {
            problem = ex.Message;
            return false;
        }

        turn = new PolicyTurn
        {
            Message = message,
            ParseErrors = errors,
            RawText = raw,
            PromptTokens = prompt,
            CompletionTokens = completion,
            CachedPromptTokens = cached,
            FinishReason = finish,
            SystemFingerprint = fingerprint,
        };
        problem = "";
        return true;
    }

    private static (Message, IReadOnlyList<ToolCallError>) Parse(string raw, string? serverReasoning, PolicyRequest request, string? finish)
    {
        var parsed = PromptMode.Read(raw, request.Format!, request.Conversation.Tools);
        // OpenAI-compatible servers cut the stop string out of the text; when the call it closed is then unreadable,
        // read the text with the stop string put back (the model did write it: generation stopped on it).
        foreach (var stop in finish == "stop" ? request.Format!.StopSequences : [])
        {
            if (parsed.UnreadableCalls.Count == 0 || raw.EndsWith(stop, StringComparison.Ordinal)) break;
            var restored = PromptMode.Read(raw + stop, request.Format, request.Conversation.Tools);
            if (restored.UnreadableCalls.Count < parsed.UnreadableCalls.Count) parsed = restored;
        }
        var message = parsed.ToAssistantMessage();
        if (message.ReasoningContent is null && serverReasoning is not null) message = message with { ReasoningContent = serverReasoning };
        return (message, parsed.UnreadableCalls);
    }

    /// <summary>Native calls whose arguments string is not JSON become parse errors rather than calls with string arguments.</summary>
    private static (Message, IReadOnlyList<ToolCallError>) SplitNativeCalls(Message message)
    {
        if (message.ToolCalls.All(c => c.HasObjectArguments)) return (message, []);
        var errors = message.ToolCalls.Where(c => !c.HasObjectArguments)
            .Select(c => new ToolCallError(ToolCallErrorKind.MalformedJson, $"arguments of '{c.Name}' are not a JSON object: {c.ArgumentsJson}"))
            .ToList();
        return (message with { ToolCalls = message.ToolCalls.Where(c => c.HasObjectArguments).ToList() }, errors);
    }

    private static int? Int(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;

    public void Dispose()
    {
        if (_ownsClient) _http.Dispose();
    }
}
