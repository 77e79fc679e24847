using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Models.Generation;

namespace ToolSharp.Serving.Benchmarks;

/// <summary>Tokens/s of <c>toolsharp serve</c> against the engine it runs on, in one process and one run: greedy replies
/// to distinct short questions, each stream sending its requests one after another, so the three paths generate the same
/// tokens and only the cost around generation differs.</summary>
public sealed class ServingBenchmark(ServedModel model, int maxTokens, int requestsPerStream)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(30) };

    /// <summary>Called with a line per measured path.</summary>
    public Action<string>? OnProgress { get; init; }

    /// <summary>Measures each concurrency in <paramref name="streams"/> on a server started here (on a free loopback port).</summary>
    public async Task<IReadOnlyList<ServingThroughput>> RunAsync(IReadOnlyList<int> streams, CancellationToken cancellation = default)
    {
        await using var server = await OpenAiServer.StartAsync(model, new ServerOptions(Port: 0), cancellation: cancellation);
        // Unmeasured rounds of every path at every concurrency first: short runs otherwise time .NET's tiered JIT
        // (first-call code, 2-3x slower) rather than the paths, and whichever path runs first pays the most.
        foreach (var count in streams) await MeasureAsync(server, count, 2, cancellation, report: false);
        var results = new List<ServingThroughput>();
        foreach (var count in streams)
        {
            // Each path's median of several rounds, the paths alternating within a round, so a pause of the machine or
            // the garbage collector lands on one round of one path rather than on the comparison.
            var rounds = new List<ServingThroughput>();
            for (var r = 0; r < Rounds; r++) rounds.Add(await MeasureAsync(server, count, requestsPerStream, cancellation));
            results.Add(new ServingThroughput(count, requestsPerStream, Median(rounds.Select(x => x.Engine)), Median(rounds.Select(x => x.Batcher)), Median(rounds.Select(x => x.Server))));
        }
        return results;
    }

    /// <summary>Measured rounds per concurrency; each path reports its median round.</summary>
    public int Rounds { get; init; } = 3;

    private static PathThroughput Median(IEnumerable<PathThroughput> rounds)
    {
        var sorted = rounds.OrderBy(p => p.TokensPerSecond).ToList();
        return sorted[sorted.Count / 2];
    }

    private async Task<ServingThroughput> MeasureAsync(OpenAiServer server, int streams, int requests, CancellationToken cancellation, bool report = true)
    {
        var progress = report ? OnProgress : null;
        if (streams > model.Batcher.Options.MaxBatch)
            throw new ArgumentOutOfRangeException(nameof(streams), streams, $"at most the batcher's {model.Batcher.Options.MaxBatch} slots, so no stream waits in its queue");
        var engine = Engine(streams, requests);
        progress?.Invoke($"{streams} streams: engine {engine.TokensPerSecond:F0} tokens/s");
        var batcher = await BatcherAsync(streams, requests, cancellation);
        progress?.Invoke($"{streams} streams: batcher {batcher.TokensPerSecond:F0} tokens/s");
        var http = await ServerAsync(server, streams, requests, cancellation);
        progress?.Invoke($"{streams} streams: server {http.TokensPerSecond:F0} tokens/s");
        return new ServingThroughput(streams, requests, engine, batcher, http);
    }

    /// <summary>The question stream <paramref name="stream"/> asks in its request <paramref name="request"/>.</summary>
    private static string Question(int stream, int request) => $"What is {10 + stream}+{20 + request}?";

    private int[] Prompt(int stream, int request) => model.Renderer.Prompt(new Conversation([Message.User(Question(stream, request))]));

    private GenerationLimits Limits => new(maxTokens, model.Renderer.StopTokens, MaxTotalLength: model.MaxTotalTokens);

    private PathThroughput Engine(int streams, int requests)
    {
        var session = new GenerationSession(model.Model, SamplingOptions.Greedy);
        long tokens = 0;
        var watch = Stopwatch.StartNew();
        for (var r = 0; r < requests; r++)
        {
            var ids = Enumerable.Range(0, streams).Select(s => session.Start(Prompt(s, r), 0)).ToList();
            tokens += session.Generate(ids, Limits).Sum(g => g.Tokens.Length);
            foreach (var id in ids) session.Release(id);
        }
        return new PathThroughput(tokens, watch.Elapsed.TotalSeconds);
    }

    private async Task<PathThroughput> BatcherAsync(int streams, int requests, CancellationToken cancellation)
    {
        var batcher = model.Batcher;
        var watch = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, streams).Select(s => Task.Run(async () =>
        {
            long tokens = 0;
            for (var r = 0; r < requests; r++)
            {
                var id = batcher.Start(Prompt(s, r), 0);
                try { tokens += (await batcher.GenerateAsync(id, new GenerationRequest(Limits, SamplingOptions.Greedy), cancellation)).Tokens.Length; }
                finally { batcher.Release(id); }
            }
            return tokens;
        }, cancellation)));
        return new PathThroughput(counts.Sum(), watch.Elapsed.TotalSeconds);
    }

    private async Task<PathThroughput> ServerAsync(OpenAiServer server, int streams, int requests, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, streams).Select(s => Task.Run(async () =>
        {
            long tokens = 0;
            for (var r = 0; r < requests; r++) tokens += await StreamAsync(server, Question(s, r), cancellation);
            return tokens;
        }, cancellation)));
        return new PathThroughput(counts.Sum(), watch.Elapsed.TotalSeconds);
    }

    /// <summary>Sends one streamed request, reads its server-sent events to the end, and returns the usage's completion tokens.</summary>
    private async Task<long> StreamAsync(OpenAiServer server, string question, CancellationToken cancellation)
    {
        var body = JsonSerializer.Serialize(new
        {
            model = model.Name,
            messages = new[] { new { role = "user", content = question } },
            temperature = 0,
            max_tokens = maxTokens,
            stream = true,
            stream_options = new { include_usage = true },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseAddress, "chat/completions"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"the server answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellation)}");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellation));
        long tokens = -1;
        while (await reader.ReadLineAsync(cancellation) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal) || line == "data: [DONE]") continue;
            using var chunk = JsonDocument.Parse(line["data: ".Length..]);
            if (chunk.RootElement.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
                tokens = usage.GetProperty("completion_tokens").GetInt64();
        }
        return tokens >= 0 ? tokens : throw new InvalidOperationException("the stream ended without a usage chunk");
    }
}
