namespace ToolSharp.Tensors.Memory;

/// <summary>Owns the temporary tensors (activations and their gradients) created while it is current, and returns
/// their buffers to <see cref="TensorPool"/> when disposed.</summary>
/// <remarks>
/// One scope per training step makes the step's activations reuse the previous step's buffers. Anything that must
/// outlive the step (log-probs handed to the trainer, logits) has to be copied out before the scope ends. Scopes nest;
/// only the innermost one collects. Without a scope, temporaries are ordinary garbage-collected arrays.
/// </remarks>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? _current;

    private readonly TensorScope? _outer;
    private readonly List<float[]> _owned = [];
    private bool _disposed;

    public TensorScope()
    {
        _outer = _current;
        _current = this;
    }

    public static TensorScope? Current => _current;

    /// <summary>A buffer owned by the current scope (or a fresh array when there is none).</summary>
    internal static float[] Allocate(int length, bool zeroed)
    {
        var scope = _current;
        if (scope is null) return new float[length];
        var array = zeroed ? TensorPool.RentZeroed(length) : TensorPool.Rent(length);
        lock (scope._owned) scope._owned.Add(array);
        return array;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var array in _owned) TensorPool.Return(array);
        _owned.Clear();
        if (_current == this) _current = _outer;
    }
}
