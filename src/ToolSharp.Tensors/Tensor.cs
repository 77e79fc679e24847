using System.Text;
using ToolSharp.Tensors.Memory;

namespace ToolSharp.Tensors;

/// <summary>A float32 tensor: a shape over a contiguous slice of a float array, with an optional gradient.</summary>
/// <remarks>
/// Storage is row-major and contiguous. <see cref="Reshape"/> and <see cref="Rows"/> are views that share the storage
/// and the gradient of their base; other layout changes (transpose) are ops that copy. Parameters own plain arrays;
/// activations get theirs from the current <see cref="TensorScope"/>.
/// </remarks>
public sealed class Tensor
{
    private float[]? _grad;
    private readonly Tensor? _base;

    private Tensor(int[] shape, float[] data, int offset, Tensor? viewOf, bool temporary = false)
    {
        IsTemporary = temporary;
        Shape = shape;
        Length = Product(shape);
        Data = data;
        Offset = offset;
        _base = viewOf;
        if (offset + Length > data.Length) throw new ArgumentException($"view [{offset}, {offset + Length}) exceeds storage of {data.Length}");
    }

    /// <summary>A tensor owning <paramref name="data"/> (not copied).</summary>
    public static Tensor FromArray(float[] data, params int[] shape)
    {
        if (Product(shape) != data.Length) throw new ArgumentException($"shape [{string.Join(", ", shape)}] needs {Product(shape)} values, got {data.Length}");
        return new Tensor((int[])shape.Clone(), data, 0, null);
    }

    /// <summary>A zero-filled tensor with its own storage (parameters, results to keep).</summary>
    public static Tensor Zeros(params int[] shape) => new((int[])shape.Clone(), new float[Product(shape)], 0, null);

    /// <summary>A temporary whose buffer belongs to the current <see cref="TensorScope"/>; zeroed when asked.</summary>
    public static Tensor Temporary(int[] shape, bool zeroed = false) =>
        new((int[])shape.Clone(), TensorScope.Allocate(Product(shape), zeroed), 0, null, temporary: TensorScope.Current is not null);

    /// <summary>True when the storage belongs to a <see cref="TensorScope"/> (and so does the gradient).</summary>
    public bool IsTemporary { get; }

    public int[] Shape { get; }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>The backing array; elements live at [Offset, Offset + Length).</summary>
    public float[] Data { get; }

    public int Offset { get; }

    public int Rank => Shape.Length;

    /// <summary>Whether backward should produce a gradient for this tensor.</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>A name for messages (parameters carry their Hugging Face tensor names).</summary>
    public string? Name { get; set; }

    public Span<float> Span => Data.AsSpan(Offset, Length);

    /// <summary>The gradient storage, allocated (zeroed) on first use; views share their base's gradient.</summary>
    public Span<float> Grad
    {
        get
        {
            if (_base is not null) return _base.GradArray().AsSpan(Offset, Length);
            return GradArray().AsSpan(0, Length);
        }
    }

    /// <summary>True when a gradient buffer exists.</summary>
    public bool HasGrad => _base is not null ? _base.HasGrad : _grad is not null;

    private float[] GradArray()
    {
        if (_base is not null) return _base.GradArray();
        if (_grad is null)
        {
            // Tensors with their own storage (parameters, inputs) keep a persistent gradient; temporaries borrow one
            // from the scope that owns their data, so both go back to the pool together.
            // Backward kernels take gradient spans on worker threads; the first allocation must win everywhere, or a
            // thread would write into a buffer that another thread's allocation then replaces (lost updates).
            var fresh = IsTemporary && TensorScope.Current is not null ? TensorScope.Allocate(Data.Length, zeroed: true) : new float[Data.Length];
            return Interlocked.CompareExchange(ref _grad, fresh, null) ?? fresh;
        }
        return _grad;
    }

    /// <summary>Allocates the gradient now, on the calling thread, so parallel backward kernels only read the reference.</summary>
    public void EnsureGrad()
    {
        if (RequiresGrad || _base is not null || IsTemporary) _ = GradArray();
    }

    /// <summary>Zeroes the gradient (keeps the buffer).</summary>
    public void ZeroGrad()
    {
        if (HasGrad) Grad.Clear();
    }

    /// <summary>A view with another shape of the same number of elements.</summary>
    public Tensor Reshape(params int[] shape)
    {
        var resolved = ResolveShape(shape);
        return new Tensor(resolved, Data, Offset, _base ?? this) { RequiresGrad = RequiresGrad, Name = Name };
    }

    /// <summary>A view of rows [start, start + count) along the first dimension.</summary>
    public Tensor Rows(int start, int count)
    {
        var rowSize = Length / Shape[0];
        var shape = (int[])Shape.Clone();
        shape[0] = count;
        return new Tensor(shape, Data, Offset + start * rowSize, _base ?? this) { RequiresGrad = RequiresGrad, Name = Name };
    }

    public float this[params int[] index]
    {
        get => Data[Offset + FlatIndex(index)];
        set => Data[Offset + FlatIndex(index)] = value;
    }

    /// <summary>A copy of the values.</summary>
    public float[] ToArray() => Span.ToArray();

    /// <summary>A deep copy with its own storage (no gradient).</summary>
    public Tensor Clone() => FromArray(ToArray(), Shape);

    public int Dim(int axis) => Shape[axis < 0 ? Shape.Length + axis : axis];

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(Name ?? "tensor").Append('[').Append(string.Join(", ", Shape)).Append(']');
        return sb.ToString();
    }

    internal static int Product(int[] shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"negative dimension in shape [{string.Join(", ", shape)}]");
            n *= d;
        }
        return checked((int)n);
    }

    private int[] ResolveShape(int[] shape)
    {
        var result = (int[])shape.Clone();
        var infer = Array.IndexOf(result, -1);
        if (infer >= 0)
        {
            var known = 1;
            for (var i = 0; i < result.Length; i++) if (i != infer) known *= result[i];
            result[infer] = Length / known;
        }
        if (Product(result) != Length) throw new ArgumentException($"cannot reshape [{string.Join(", ", Shape)}] to [{string.Join(", ", shape)}]");
        return result;
    }

    private int FlatIndex(int[] index)
    {
        if (index.Length != Shape.Length) throw new ArgumentException($"index of rank {index.Length} for tensor of rank {Shape.Length}");
        var flat = 0;
        for (var i = 0; i < index.Length; i++)
        {
            if ((uint)index[i] >= (uint)Shape[i]) throw new IndexOutOfRangeException($"index {index[i]} out of range for dimension {i} of size {Shape[i]}");
            flat = flat * Shape[i] + index[i];
        }
        return flat;
    }
}
