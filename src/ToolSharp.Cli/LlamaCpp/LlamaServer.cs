using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ToolSharp.Core.Errors;

namespace ToolSharp.Cli.LlamaCpp;

/// <summary>A llama.cpp <c>llama-server</c> on loopback: one this process started (and stops on dispose), or one already running.</summary>
public sealed class LlamaServer : IDisposable
{
    private readonly Process? _process;
    private readonly StringBuilder _log = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(10) };

    private LlamaServer(Uri baseUrl, Process? process)
    {
        BaseUrl = baseUrl;
        _process = process;
    }

    /// <summary>llama-server options that keep attention and the KV cache in f32.</summary>
    public static IReadOnlyList<string> ExactArguments { get; } = ["-fa", "off", "-ctk", "f32", "-ctv", "f32"];

    /// <summary>The server root, e.g. <c>http://127.0.0.1:8080/</c>; the OpenAI API is under <c>v1/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>What the server printed (for error messages).</summary>
    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    /// <summary>Talks to a server that is already running.</summary>
    public static LlamaServer Attach(Uri baseUrl) => new(new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/"), null);

    /// <summary>Starts <paramref name="binary"/> on a free 127.0.0.1 port serving <paramref name="gguf"/> with <c>--jinja</c>, and waits until it answers /health.</summary>
    /// <param name="maxTokens">The server's default completion budget (<c>-n</c>), for requests that give none.</param>
    /// <param name="exact">Compute attention in f32 (<c>-fa off -ctk f32 -ctv f32</c>): llama.cpp's CPU flash attention and f16 KV
    /// cache, on by default, round to f16 and move log-probs by up to ~0.06 on this model, enough to flip rare near-ties.</param>
    public static LlamaServer Start(string binary, string gguf, int contextLength, int maxTokens, int threads, TimeSpan startupTimeout, bool exact = false)
    {
        if (!File.Exists(binary)) throw new ToolSharpException($"{binary}: no llama-server binary here (build one with tools/llama-cpp/build-llama-server.sh)");
        var port = FreePort();
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
        {
            "-m", gguf, "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--jinja",
            "-c", contextLength.ToString(System.Globalization.CultureInfo.InvariantCulture), "-n", maxTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-t", threads.ToString(System.Globalization.CultureInfo.InvariantCulture), "-np", "1", "--no-webui",
        }) info.ArgumentList.Add(a);
        if (exact) foreach (var a in ExactArguments) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new ToolSharpException($"{binary}: could not start");
        var server = new LlamaServer(new Uri($"http://127.0.0.1:{port}/"), process);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            server.WaitUntilReady(startupTimeout);
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private void WaitUntilReady(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process is { HasExited: true })
                throw new ToolSharpException($"llama-server exited with code {_process.ExitCode} before it was ready: {LastLines(Log, 3)}");
            try
            {
                using var response = _http.GetAsync(new Uri(BaseUrl, "health")).GetAwaiter().GetResult();
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (clock.Elapsed > timeout) throw new ToolSharpException($"llama-server did not answer /health within {timeout.TotalSeconds:0} s: {LastLines(Log, 3)}");
            Thread.Sleep(200);
        }
    }

    private static string LastLines(string text, int n) =>
        string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(n));

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>POSTs a JSON body and returns the parsed answer; a non-2xx answer is an error naming the endpoint.</summary>
    public JsonElement Post(string path, JsonNode body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = _http.PostAsync(new Uri(BaseUrl, path), content).GetAwaiter().GetResult();
        var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode) throw new ToolSharpException($"llama-server {path}: HTTP {(int)response.StatusCode} {(text.Length > 300 ? text[..300] + "…" : text)}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>llama.cpp's token ids for a text, special tokens parsed, nothing added.</summary>
    public int[] Tokenize(string text) =>
        [.. Post("tokenize", new JsonObject { ["content"] = text, ["add_special"] = false, ["parse_special"] = true }).GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32())];

    /// <summary>The prompt llama.cpp's Jinja engine renders from the GGUF's chat template (with the generation prompt).</summary>
    public string ApplyTemplate(JsonNode messages, JsonNode? tools)
    {
        var body = new JsonObject { ["messages"] = messages };
        if (tools is not null) body["tools"] = tools;
        return Post("apply-template", body).GetProperty("prompt").GetString()!;
    }

    /// <summary>Greedy continuation of a token prompt: the generated ids (an end-of-generation token included, as the built-in engine keeps its stop token), their log-probs, and the stop type.</summary>
    public (int[] Tokens, float[] LogProbs, string StopType) Greedy(IReadOnlyList<int> prompt, int maxTokens)
    {
        var body = new JsonObject
        {
            ["prompt"] = new JsonArray(prompt.Select(t => (JsonNode)t).ToArray()),
            ["n_predict"] = maxTokens,
            ["temperature"] = 0,
            ["top_k"] = 1,
            ["cache_prompt"] = false,
            ["return_tokens"] = true,
            ["n_probs"] = 1,
            ["stream"] = false,
        };
        var r = Post("completion", body);
        var tokens = r.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32()).ToArray();
        var logProbs = r.TryGetProperty("completion_probabilities", out var probs)
            ? probs.EnumerateArray().Select(p => (float)p.GetProperty("logprob").GetDouble()).ToArray()
            : [];
        return (tokens, logProbs, r.GetProperty("stop_type").GetString() ?? "");
    }

    public void Dispose()
    {
        _http.Dispose();
        if (_process is null) return;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
