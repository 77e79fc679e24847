namespace ToolSharp.Inference.Rollouts;

/// <summary>One contiguous token-in/token-out stretch of a rollout: the tokens at
/// [<paramref name="Start"/>, <paramref name="Start"/> + <paramref name="Length"/>) of the rollout's token arrays were fed
/// to the model as one sequence, the first <paramref name="PromptLength"/> of them rendered as its prompt.</summary>
/// <remarks>An append-only rollout is one segment. When the view re-renders the prompt and the new prompt does not extend
/// the sequence so far, the sequence restarts from the new prompt and a new segment begins; where it extends it, the
/// segment continues. Training scores each segment as its own sequence.</remarks>
public readonly record struct RolloutSegment(int Start, int Length, int PromptLength)
{
    public int End => Start + Length;

    /// <summary>This segment's part of a per-token array of the rollout (the array itself when the segment is all of it).</summary>
    public T[] Slice<T>(T[] values) => Start == 0 && Length == values.Length ? values : values[Start..End];
}
