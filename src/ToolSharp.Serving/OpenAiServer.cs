using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ToolSharp.Core.Errors;
using ToolSharp.Models.Generation;
using ToolSharp.Serving.Completions;
using ToolSharp.Serving.Requests;
using ToolSharp.Serving.Responses;

namespace ToolSharp.Serving;

/// <summary>An OpenAI-compatible HTTP server for one built-in model (Kestrel): <c>/v1/models</c> and
/// <c>/v1/chat/completions</c>, plain or streamed as server-sent events, concurrent requests continuously batched.</summary>
/// <remarks>Errors use OpenAI's body (<c>{"error": {"message", "type", "param", "code"}}</c>): 400 for a request the
/// server refuses, 404 for an unknown path, 503 with <c>Retry-After</c> when every slot is busy and the queue is full.</remarks>
public sealed class OpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServedModel _model;
    private readonly ChatCompletionRunner _runner;
    private readonly ServerOptions _options;
    private readonly Action<string>? _log;

    private OpenAiServer(WebApplication app, ServedModel model, ServerOptions options, Action<string>? log)
    {
        _app = app;
        _model = model;
        _options = options;
        _log = log;
        _runner = new ChatCompletionRunner(model);
    }

    /// <summary>Starts listening; the server owns nothing of <paramref name="model"/> (dispose it after the server).</summary>
    public static async Task<OpenAiServer> StartAsync(ServedModel model, ServerOptions options, Action<string>? log = null, CancellationToken cancellation = default)
    {
        var address = options.Host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(options.Host, out var ip) ? ip
            : throw new ToolSharpException($"--host: expected an IP address or localhost, found '{options.Host}'");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(address, options.Port);
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        var server = new OpenAiServer(app, model, options, log);
        app.MapGet("/v1/models", (HttpContext http) => Json(http, 200, ChatResponseJson.Models(model)));
        app.MapGet("/v1/models/{id}", (HttpContext http, string id) => id == model.Name
            ? Json(http, 200, ChatResponseJson.Model(model))
            : Json(http, 404, ChatResponseJson.Error($"model '{id}' not found; this server serves {model.Name}", "invalid_request_error", "model", "model_not_found")));
        app.MapPost("/v1/chat/completions", server.ChatAsync);
        app.MapFallback((HttpContext http) => Json(http, 404, ChatResponseJson.Error(
            $"{http.Request.Method} {http.Request.Path}: no such endpoint (this server has GET /v1/models and POST /v1/chat/completions)", "invalid_request_error", null, "unknown_url")));
        try
        {
            await app.StartAsync(cancellation).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new ToolSharpException($"cannot listen on {options.Host}:{options.Port}: {ex.Message}");
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(bound.TrimEnd('/') + "/v1/");
        return server;
    }

    /// <summary>The base URL clients use, e.g. <c>http://127.0.0.1:8000/v1/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Completes when the server stops (<paramref name="cancellation"/>, or <see cref="DisposeAsync"/>).</summary>
    public Task WaitAsync(CancellationToken cancellation) => _app.WaitForShutdownAsync(cancellation);

    private async Task ChatAsync(HttpContext http)
    {
        var aborted = http.RequestAborted;
        string body;
        using (var reader = new StreamReader(http.Request.Body))
            body = await reader.ReadToEndAsync(aborted).ConfigureAwait(false);

        ChatCompletionRequest request;
        Channel<StreamPiece>? channel = null;
        Task<ChatCompletion> run;
        try
        {
            request = ChatRequestReader.Read(body);
            if (request.Stream) channel = Channel.CreateUnbounded<StreamPiece>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            run = _runner.Start(request, channel?.Writer, aborted);
        }
        catch (RequestException ex)
        {
            _log?.Invoke($"400 {ex.Message}");
            await Json(http, ex.Status, ChatResponseJson.Error(ex)).ConfigureAwait(false);
            return;
        }
        catch (GenerationQueueFullException ex)
        {
            http.Response.Headers.RetryAfter = _options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Json(http, 503, ChatResponseJson.Error(ex.Message, "server_error", null, "queue_full")).ConfigureAwait(false);
            return;
        }

        var header = new ChatResponseJson.Header("chatcmpl-" + Guid.NewGuid().ToString("N")[..24], DateTimeOffset.UtcNow.ToUnixTimeSeconds(), _model.Name, _model.Fingerprint);
        try
        {
            if (channel is null)
            {
                var completion = await run.ConfigureAwait(false);
                await Json(http, 200, ChatResponseJson.Completion(header, completion)).ConfigureAwait(false);
                return;
            }
            await StreamAsync(http, header, request, channel.Reader, run).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away; the batcher has already dropped its call.
        }
    }

    private static async Task StreamAsync(HttpContext http, ChatResponseJson.Header header, ChatCompletionRequest request, ChannelReader<StreamPiece> pieces, Task<ChatCompletion> run)
    {
        var aborted = http.RequestAborted;
        var usage = request.StreamUsage;
        http.Response.StatusCode = 200;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        await Event(http, ChatResponseJson.RoleChunk(header, usage)).ConfigureAwait(false);
        await foreach (var piece in pieces.ReadAllAsync(aborted).ConfigureAwait(false))
            await Event(http, ChatResponseJson.ContentChunk(header, usage, piece.Content, piece.LogProbs)).ConfigureAwait(false);
        var completion = await run.ConfigureAwait(false);
        // What the parser found beyond the streamed text: the rest of the content, then each call whole.
        var content = completion.Message.Content ?? "";
        if (content.Length > completion.StreamedContent.Length && content.StartsWith(completion.StreamedContent, StringComparison.Ordinal))
            await Event(http, ChatResponseJson.ContentChunk(header, usage, content[completion.StreamedContent.Length..], null)).ConfigureAwait(false);
        for (var i = 0; i < completion.Message.ToolCalls.Count; i++)
            await Event(http, ChatResponseJson.ToolCallChunk(header, usage, i, completion.Message.ToolCalls[i])).ConfigureAwait(false);
        await Event(http, ChatResponseJson.FinishChunk(header, usage, completion.FinishReason)).ConfigureAwait(false);
        if (usage) await Event(http, ChatResponseJson.UsageChunk(header, completion)).ConfigureAwait(false);
        await http.Response.WriteAsync("data: [DONE]\n\n", aborted).ConfigureAwait(false);
    }

    private static async Task Event(HttpContext http, byte[] json)
    {
        await http.Response.Body.WriteAsync("data: "u8.ToArray(), http.RequestAborted).ConfigureAwait(false);
        await http.Response.Body.WriteAsync(json, http.RequestAborted).ConfigureAwait(false);
        await http.Response.Body.WriteAsync("\n\n"u8.ToArray(), http.RequestAborted).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }

    private static async Task Json(HttpContext http, int status, byte[] json)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(json, http.RequestAborted).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
