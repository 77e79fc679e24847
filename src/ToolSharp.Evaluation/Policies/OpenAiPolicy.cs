using ToolSharp.Core.WireFormats;
using System.Net;
using System.Text;
using System.Text.Json;
using ToolSharp.Core.Formats;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Evaluation.Agent;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ToolSharp.Evaluation.Policies;

/// <summary>A policy backed by OpenAI-compatible HTTP endpoints: native <c>tools</c> mode or prompt mode, retries with
/// seeded exponential backoff on 429/408/5xx/timeouts/dropped connections/unreadable bodies, a concurrency limit, and
/// several base URLs load-balanced.</summary>
/// <remarks>Plain <see cref="HttpClient"/> rather than the OpenAI SDK: the SDK rejects the non-standard fields local
/// servers send and retries on its own schedule, while the evaluation needs every attempt counted and every
/// parameter on the wire visible. Retries and timeouts are Polly pipelines on <see cref="RetryOptions.Clock"/>: an
/// attempt that fails in a way worth retrying throws <see cref="TransientFailure"/>, the only thing the retry handles;
/// a refused request (other 4xx) throws <see cref="PolicyException"/> at once.</remarks>
public sealed class OpenAiPolicy : IPolicy, IDisposable
{
    private readonly OpenAiPolicyOptions _options;
    private readonly HttpClient _http;
    private readonly EndpointPool _pool;
    private readonly TimeProvider _clock;
    private readonly ResiliencePipeline _retry;
    private readonly ResiliencePipeline _attemptTimeout;
    private readonly bool _ownsClient;

    public OpenAiPolicy(OpenAiPolicyOptions options, HttpClient? http = null)
    {
        _options = options;
        _ownsClient = http is null;
        _http = http ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _pool = new EndpointPool(options.BaseUrls, options.MaxConcurrency);
        var retry = options.Retry;
        _clock = retry.Clock;
        var backoff = new Backoff(retry);
        var retries = new ResiliencePipelineBuilder { TimeProvider = _clock };
        // Polly refuses a retry strategy with no retries, so one attempt means no strategy at all.
        if (retry.MaxAttempts > 1)
        {
            retries.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = retry.MaxAttempts - 1,
                ShouldHandle = new PredicateBuilder().Handle<TransientFailure>(),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    backoff.Next(args.AttemptNumber + 1, (args.Outcome.Exception as TransientFailure)?.RetryAfter)),
            });
        }
        _retry = retries.Build();
        _attemptTimeout = new ResiliencePipelineBuilder { TimeProvider = _clock }.AddTimeout(retry.AttemptTimeout).Build();
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

        var started = _clock.GetTimestamp();
        var attempts = 0;
        try
        {
            var turn = await _retry.ExecuteAsync(ct =>
            {
                attempts++;
                return AttemptAsync(path, body, request, completions, ct);
            }, cancellationToken).ConfigureAwait(false);
            return turn with { Latency = _clock.GetElapsedTime(started), Attempts = attempts };
        }
        catch (TransientFailure last)
        {
            throw new PolicyException($"model endpoint failed {attempts} times; last: {last.Message}");
        }
    }

    /// <summary>One request on the least busy endpoint. The attempt timeout starts once the lease is held, so waiting
    /// behind the concurrency limit never counts as a server that did not answer.</summary>
    private async ValueTask<PolicyTurn> AttemptAsync(string path, string body, PolicyRequest request, bool completions, CancellationToken cancellationToken)
    {
        using var lease = await _pool.Acquire(cancellationToken).ConfigureAwait(false);
        var endpoint = lease.BaseUrl.AbsoluteUri;
        try
        {
            var turn = await _attemptTimeout.ExecuteAsync(ct => SendAsync(lease.BaseUrl, path, body, request, completions, ct), cancellationToken).ConfigureAwait(false);
            return turn with { Endpoint = endpoint.TrimEnd('/') };
        }
        catch (TimeoutRejectedException)
        {
            throw new TransientFailure($"{endpoint}: no answer within {_options.Retry.AttemptTimeout.TotalSeconds:0.###} s");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new TransientFailure($"{endpoint}: {ex.Message}");
        }
    }

    private async ValueTask<PolicyTurn> SendAsync(Uri baseUrl, string path, string body, PolicyRequest request, bool completions, CancellationToken cancellationToken)
    {
        var endpoint = baseUrl.AbsoluteUri;
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, path))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (!string.IsNullOrEmpty(_options.ApiKey)) message.Headers.Authorization = new("Bearer", _options.ApiKey);
        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return TryReadResponse(text, request, completions, out var turn, out var problem)
                ? turn!
                : throw new TransientFailure($"{endpoint}: unreadable response ({problem})");
        }
        if (IsRetryable(response.StatusCode))
            throw new TransientFailure($"{endpoint}: HTTP {(int)response.StatusCode} {Snippet(text)}", RetryAfter(response));
        throw new PolicyException($"{endpoint}{path}: HTTP {(int)response.StatusCode} {Snippet(text)} (not retried: the request itself was refused)");
    }

    /// <summary>The server's Retry-After, in seconds or as a date.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter is not { } ra ? null : ra.Delta ?? (ra.Date is { } date ? date - _clock.GetUtcNow() : null);

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
        var format = request.Format ?? throw new InvalidOperationException("prompt mode without a call format");
        var parsed = PromptMode.Read(raw, format, request.Conversation.Tools);
        // OpenAI-compatible servers cut the stop string out of the text; when the call it closed is then unreadable,
        // read the text with the stop string put back (the model did write it: generation stopped on it).
        foreach (var stop in finish == "stop" ? format.StopSequences : [])
        {
            if (parsed.UnreadableCalls.Count == 0 || raw.EndsWith(stop, StringComparison.Ordinal)) break;
            var restored = PromptMode.Read(raw + stop, format, request.Conversation.Tools);
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

    /// <summary>An attempt that failed in a way worth retrying (server error, rate limit, timeout, dropped connection,
    /// unreadable body); the message names the endpoint and what went wrong.</summary>
    private sealed class TransientFailure(string message, TimeSpan? retryAfter = null) : Exception(message)
    {
        public TimeSpan? RetryAfter { get; } = retryAfter;
    }
}
