using ToolSharp.Models.Generation;

namespace ToolSharp.Serving;

/// <summary>Where a server listens and how it batches.</summary>
/// <param name="Host">An IP address or <c>localhost</c>; loopback by default, so nothing outside the machine reaches it unless asked.</param>
/// <param name="Port">TCP port; 0 picks a free one (see <see cref="OpenAiServer.BaseAddress"/>).</param>
/// <param name="RetryAfterSeconds">Sent in <c>Retry-After</c> with a 503 when the queue is full.</param>
public sealed record ServerOptions(string Host = "127.0.0.1", int Port = 8000, int RetryAfterSeconds = 1)
{
    public BatcherOptions Batching { get; init; } = new();
}
