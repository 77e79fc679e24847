using ToolSharp.Tensors.Autograd;

namespace ToolSharp.Models.Training;

/// <summary>Per-token log-probs and entropies of a <see cref="TokenBatch"/>, and the way back to parameter gradients.</summary>
/// <remarks>
/// Values are copied out of the step's tensors, so they stay valid after the step's scope ends. Arrays are indexed
/// like the batch's tokens; unscored positions hold 0. <see cref="Backward"/> must run while the forward's tape and
/// scope are still alive.
/// </remarks>
public sealed class TokenScores
{
    private readonly Tensors.Tensor _output;
    private readonly (int Seq, int Index)[] _rows;

    internal TokenScores(Tensors.Tensor output, (int, int)[] rows, IReadOnlyList<int[]> tokens)
    {
        _output = output;
        _rows = rows;
        LogProbs = tokens.Select(t => new float[t.Length]).ToArray();
        Entropies = tokens.Select(t => new float[t.Length]).ToArray();
        var values = output.Span;
        for (var r = 0; r < rows.Length; r++)
        {
            var (s, i) = rows[r];
            LogProbs[s][i] = values[2 * r];
            Entropies[s][i] = values[2 * r + 1];
        }
    }

    public float[][] LogProbs { get; }

    public float[][] Entropies { get; }

    /// <summary>Number of scored tokens.</summary>
    public int Count => _rows.Length;

    /// <summary>Seeds d loss / d log p (and optionally d loss / d entropy) per token and runs the tape's backward.</summary>
    public void Backward(IReadOnlyList<float[]> dLogProbs, IReadOnlyList<float[]>? dEntropies = null)
    {
        var tape = Tape.Current ?? throw new InvalidOperationException("Backward needs the tape that recorded the forward pass");
        var grad = _output.Grad;
        for (var r = 0; r < _rows.Length; r++)
        {
            var (s, i) = _rows[r];
            grad[2 * r] = dLogProbs[s][i];
            grad[2 * r + 1] = dEntropies is null ? 0 : dEntropies[s][i];
        }
        tape.Backward();
    }
}
