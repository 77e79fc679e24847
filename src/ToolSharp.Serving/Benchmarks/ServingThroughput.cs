namespace ToolSharp.Serving.Benchmarks;

/// <summary>Generation throughput at one concurrency, measured three ways on the same prompts: the engine's batched
/// sampler (all streams in one batch, no server), the continuous batcher driven in-process, and <c>toolsharp serve</c>
/// over loopback HTTP with streamed responses.</summary>
/// <param name="Streams">Concurrent streams; each sends <paramref name="Requests"/> requests one after another.</param>
public sealed record ServingThroughput(int Streams, int Requests, PathThroughput Engine, PathThroughput Batcher, PathThroughput Server)
{
    /// <summary>Requests sent in all, over every stream.</summary>
    public int TotalRequests => Streams * Requests;

    /// <summary>The server's tokens/s over the engine's: 1.0 means serving costs nothing on top of batched sampling.</summary>
    public double ServerVsEngine => Server.TokensPerSecond / Engine.TokensPerSecond;
}

/// <summary>Generated tokens and the wall-clock seconds one path took for them.</summary>
public sealed record PathThroughput(long Tokens, double Seconds)
{
    public double TokensPerSecond => Seconds > 0 ? Tokens / Seconds : 0;
}
