namespace ToolSharp.Tensors.Ops;

/// <summary>Cos/sin tables for rotary position embeddings, computed as Hugging Face does (float32 inverse frequencies).</summary>
/// <remarks>
/// inv_freq[i] = 1 / θ^(2i / rotaryDim); angle = position · inv_freq[i]; dimensions i and i + rotaryDim/2 of each head
/// are rotated together ("rotate_half" convention of Llama/Qwen). With partial rotary (rotaryDim &lt; headDim) the rest of
/// the head passes through. Tables grow on demand.
/// </remarks>
public sealed class RotaryEmbedding
{
    private readonly float[] _invFreq;
    private float[] _cos = [];
    private float[] _sin = [];
    private readonly object _gate = new();

    public RotaryEmbedding(int headDim, float theta, int rotaryDim = 0, int initialPositions = 512)
    {
        HeadDim = headDim;
        RotaryDim = rotaryDim == 0 ? headDim : rotaryDim;
        if (RotaryDim % 2 != 0 || RotaryDim > headDim) throw new ArgumentException($"rotary dimension {RotaryDim} must be even and at most the head dimension {headDim}");
        Theta = theta;
        var half = RotaryDim / 2;
        _invFreq = new float[half];
        for (var i = 0; i < half; i++) _invFreq[i] = 1f / MathF.Pow(theta, 2f * i / RotaryDim);
        EnsurePositions(initialPositions);
    }

    public int HeadDim { get; }

    public int RotaryDim { get; }

    public float Theta { get; }

    public int Positions => _cos.Length / (RotaryDim / 2);

    /// <summary>cos table row for a position (length RotaryDim/2).</summary>
    public ReadOnlySpan<float> Cos(int position) => _cos.AsSpan(position * (RotaryDim / 2), RotaryDim / 2);

    public ReadOnlySpan<float> Sin(int position) => _sin.AsSpan(position * (RotaryDim / 2), RotaryDim / 2);

    /// <summary>Makes sure tables cover positions [0, count).</summary>
    public void EnsurePositions(int count)
    {
        if (count <= Positions) return;
        lock (_gate)
        {
            if (count <= Positions) return;
            var size = Math.Max(count, Positions * 2);
            var half = RotaryDim / 2;
            var cos = new float[size * half];
            var sin = new float[size * half];
            for (var p = 0; p < size; p++)
            {
                for (var i = 0; i < half; i++)
                {
                    var angle = (float)p * _invFreq[i];
                    cos[p * half + i] = (float)Math.Cos(angle);
                    sin[p * half + i] = (float)Math.Sin(angle);
                }
            }
            _sin = sin;
            _cos = cos;
        }
    }
}
