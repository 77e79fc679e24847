namespace ToolSharp.Evaluation.Policies;

/// <summary>Several base URLs of equivalent servers: each request goes to the one with the fewest requests in flight
/// (round-robin among ties), and a global limit caps concurrent requests.</summary>
/// <remarks>A retry goes through <see cref="Acquire"/> again, so a request that failed on one server is naturally tried
/// on the next one while the failed server still counts its in-flight work.</remarks>
public sealed class EndpointPool
{
    private readonly Uri[] _endpoints;
    private readonly int[] _inFlight;
    private readonly SemaphoreSlim _limit;
    private readonly Lock _gate = new();
    private int _next;

    public EndpointPool(IReadOnlyList<Uri> endpoints, int maxConcurrency)
    {
        if (endpoints.Count == 0) throw new ArgumentException("at least one endpoint is needed", nameof(endpoints));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        _endpoints = [.. endpoints.Select(Normalize)];
        _inFlight = new int[_endpoints.Length];
        _limit = new SemaphoreSlim(maxConcurrency, maxConcurrency);
        MaxConcurrency = maxConcurrency;
    }

    public IReadOnlyList<Uri> Endpoints => _endpoints;

    public int MaxConcurrency { get; }

    /// <summary>Waits for a free slot and picks the least busy endpoint; dispose the lease when the request is done.</summary>
    public async Task<Lease> Acquire(CancellationToken cancellationToken)
    {
        await _limit.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            var best = -1;
            for (var k = 0; k < _endpoints.Length; k++)
            {
                var i = (_next + k) % _endpoints.Length;
                if (best < 0 || _inFlight[i] < _inFlight[best]) best = i;
            }
            _next = (best + 1) % _endpoints.Length;
            _inFlight[best]++;
            return new Lease(this, best);
        }
    }

    private void Release(int index)
    {
        lock (_gate) _inFlight[index]--;
        _limit.Release();
    }

    private static Uri Normalize(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

    /// <summary>One request's hold on an endpoint and a concurrency slot.</summary>
    public sealed class Lease(EndpointPool pool, int index) : IDisposable
    {
        private int _disposed;

        public Uri BaseUrl => pool._endpoints[index];

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) pool.Release(index);
        }
    }
}
