using ToolSharp.Models;
using ToolSharp.Models.Training;
using ToolSharp.Tensors.Memory;

namespace ToolSharp.Training.Metrics;

/// <summary>Teacher-forced accuracy on the digits the assistant writes in held-out demonstrations: the warm-up's measure
/// of the copy skill.</summary>
/// <remarks>
/// In a tool-calling demonstration every digit of an assistant turn is a copy — from the question into the call, from
/// the tool result into the answer — so a model that has not learned to look numbers up stays near chance (10–20%)
/// on these tokens however well it writes the rest, and then crosses to above 90% within a few dozen steps. The
/// prediction at each such position is the argmax of the logits given the true prefix; nothing is sampled, so the
/// probe leaves every random stream of the run untouched.
/// </remarks>
public sealed class CopyProbe
{
    /// <summary>Accuracy at which the copy transition counts as crossed.</summary>
    public const double TransitionThreshold = 0.9;

    private const int BatchTokens = 4096;

    // Logits held at once: a batch of 4096 tokens over a 151,936-token vocabulary (Qwen3's) would take 2.5 GB.
    private const long LogitBudget = 64L << 20;

    private readonly IReadOnlyList<SftExample> _examples;
    private readonly IReadOnlySet<int> _digits;

    /// <param name="examples">Held-out demonstrations (loss mask 1 on assistant tokens).</param>
    /// <param name="digitTokens">The token ids that spell one decimal digit.</param>
    public CopyProbe(IReadOnlyList<SftExample> examples, IReadOnlySet<int> digitTokens)
    {
        _digits = digitTokens;
        _examples = examples.Where(e => Positions(e).Any()).ToList();
        Count = _examples.Sum(e => Positions(e).Count());
    }

    /// <summary>Number of digit positions probed (0 when the demonstrations' assistant turns hold no digits).</summary>
    public int Count { get; }

    /// <summary>The ids among <paramref name="vocabularySize"/> tokens that decode to a single digit.</summary>
    public static IReadOnlySet<int> DigitTokens(int vocabularySize, Func<int[], string> decode) =>
        Enumerable.Range(0, vocabularySize).Where(id => decode([id]) is [>= '0' and <= '9']).ToHashSet();

    /// <summary>Fraction of the probed digits the model predicts exactly (0 when there are none).</summary>
    public double Measure(Transformer model)
    {
        if (Count == 0) return 0;
        var correct = 0;
        var vocab = model.Config.VocabSize;
        var batchTokens = (int)Math.Clamp(LogitBudget / vocab, 1, BatchTokens);
        for (var start = 0; start < _examples.Count;)
        {
            var batch = new List<SftExample>();
            for (var tokens = 0; start < _examples.Count && (batch.Count == 0 || tokens + _examples[start].Length <= batchTokens); start++)
            {
                batch.Add(_examples[start]);
                tokens += _examples[start].Length;
            }
            using var scope = new TensorScope();
            var logits = model.Logits(batch.Select(e => e.Tokens).ToList()).Span;
            var offset = 0;
            foreach (var e in batch)
            {
                foreach (var i in Positions(e))
                {
                    // the logits at position i - 1 predict token i
                    var row = logits.Slice((offset + i - 1) * vocab, vocab);
                    var best = 0;
                    for (var j = 1; j < vocab; j++)
                        if (row[j] > row[best]) best = j;
                    if (best == e.Tokens[i]) correct++;
                }
                offset += e.Length;
            }
        }
        return (double)correct / Count;
    }

    private IEnumerable<int> Positions(SftExample e)
    {
        for (var i = 1; i < e.Length; i++)
            if (e.LossMask[i] > 0 && _digits.Contains(e.Tokens[i])) yield return i;
    }
}
