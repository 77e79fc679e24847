using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace ToolSharp.Testing;

/// <summary>An OpenAI-compatible HTTP server on loopback for tests: every request goes to a handler that returns a
/// JSON body, an error status, malformed text, a dropped connection or a response that never comes.</summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<FakeRequest, FakeResponse> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _count;

    public FakeOpenAiServer(Func<FakeRequest, FakeResponse> handler)
    {
        _handler = handler;
        (_listener, Port) = Bind();
        _loop = Task.Run(AcceptLoop);
    }

    public int Port { get; }

    /// <summary>The base URL clients use, e.g. <c>http://127.0.0.1:PORT/v1</c>.</summary>
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/v1");

    /// <summary>Every request received, in arrival order.</summary>
    public ConcurrentQueue<FakeRequest> Requests { get; } = new();

    public int RequestCount => Volatile.Read(ref _count);

    private static (HttpListener, int) Bind()
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                listener.Close();
            }
        }
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync().ConfigureAwait(false); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            catch (HttpListenerException) { return; }
            catch (ObjectDisposedException) { return; }
            _ = Task.Run(() => Handle(ctx));
        }
    }

    private async Task Handle(HttpListenerContext ctx)
    {
        try
        {
            string text;
            using (var reader = new StreamReader(ctx.Request.InputStream, Encoding.UTF8)) text = await reader.ReadToEndAsync().ConfigureAwait(false);
            var index = Interlocked.Increment(ref _count) - 1;
            JsonElement body;
            try { body = JsonDocument.Parse(text).RootElement.Clone(); }
            catch (JsonException) { body = default; }
            var request = new FakeRequest(ctx.Request.Url!.AbsolutePath, body, index, ctx.Request.Headers["Authorization"]);
            Requests.Enqueue(request);
            FakeResponse response;
            try { response = _handler(request); }
            catch (Exception ex) { response = FakeResponse.Status(500, "handler failed: " + ex.Message); }

            switch (response.Kind)
            {
                case FakeResponseKind.Drop:
                    ctx.Response.Abort();
                    return;
                case FakeResponseKind.Hang:
                    try { await Task.Delay(Timeout.Infinite, _stop.Token).ConfigureAwait(false); } catch (OperationCanceledException) { }
                    ctx.Response.Abort();
                    return;
                default:
                    ctx.Response.StatusCode = response.StatusCode;
                    if (response.RetryAfterSeconds is { } ra) ctx.Response.AddHeader("Retry-After", ra.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    ctx.Response.ContentType = "application/json";
                    var bytes = Encoding.UTF8.GetBytes(response.Body);
                    ctx.Response.ContentLength64 = bytes.Length;
                    await ctx.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
                    ctx.Response.Close();
                    return;
            }
        }
        catch (Exception)
        {
            // A client that went away mid-response is normal in the failure tests.
            try { ctx.Response.Abort(); } catch (Exception) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { _listener.Stop(); _listener.Close(); } catch (Exception) { }
        try { await _loop.ConfigureAwait(false); } catch (Exception) { }
        _stop.Dispose();
    }
}
