namespace ToolSharp.Tensors.Autograd;

/// <summary>Records the backward step of every op run while it is current, and replays them in reverse.</summary>
/// <remarks>
/// Ops are coarse (a linear layer, an attention block, a norm), each with a hand-written backward, in the spirit of
/// llm.c: few tape entries, no per-element graph. Gradients accumulate into <see cref="Tensor.Grad"/>, so calling
/// forward/backward several times before an optimizer step is gradient accumulation. Seed the output gradient
/// (write into its <see cref="Tensor.Grad"/>) before calling <see cref="Backward"/>.
/// </remarks>
public sealed class Tape : IDisposable
{
    [ThreadStatic] private static Tape? _current;
    [ThreadStatic] private static int _noGradDepth;

    private readonly List<Action> _backward = [];
    private readonly Tape? _outer;
    private bool _disposed;

    public Tape()
    {
        _outer = _current;
        _current = this;
    }

    /// <summary>The tape ops record onto, or null when gradients are off (no tape, or inside <see cref="NoGrad"/>).</summary>
    public static Tape? Current => _noGradDepth > 0 ? null : _current;

    /// <summary>True when an op with these inputs must record its backward.</summary>
    public static bool IsRecording(params Tensor?[] inputs)
    {
        if (Current is null) return false;
        foreach (var t in inputs) if (t is { RequiresGrad: true }) return true;
        return false;
    }

    /// <summary>Number of recorded ops.</summary>
    public int Count => _backward.Count;

    internal void Record(Action backward) => _backward.Add(backward);

    /// <summary>Runs every recorded backward step, last op first, then forgets them.</summary>
    public void Backward()
    {
        using (NoGrad())
        {
            for (var i = _backward.Count - 1; i >= 0; i--) _backward[i]();
        }
        _backward.Clear();
    }

    /// <summary>Turns recording off until disposed (evaluation, generation, optimizer updates).</summary>
    public static IDisposable NoGrad() => new NoGradScope();

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _backward.Clear();
        if (_current == this) _current = _outer;
    }

    private sealed class NoGradScope : IDisposable
    {
        private bool _disposed;

        public NoGradScope() => _noGradDepth++;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _noGradDepth--;
        }
    }
}
