namespace ToolSharp.Tensors.Ops;

/// <summary>How rows of q/k/v are grouped into sequences: a rectangular [batch, length] block with per-sequence valid lengths.</summary>
/// <remarks>Sequences are right-padded; rows past a sequence's length attend to nothing and produce zeros.</remarks>
public sealed record AttentionLayout(int Batch, int Length, int[] ValidLengths, int Heads, int KvHeads, int HeadDim)
{
    public int Rows => Batch * Length;

    public int QueryWidth => Heads * HeadDim;

    public int KvWidth => KvHeads * HeadDim;

    /// <summary>Query heads per key/value head (grouped-query attention).</summary>
    public int Group => Heads / KvHeads;

    public void Validate()
    {
        if (ValidLengths.Length != Batch) throw new ArgumentException($"{ValidLengths.Length} lengths for a batch of {Batch}");
        if (Heads % KvHeads != 0) throw new ArgumentException($"{Heads} heads are not a multiple of {KvHeads} key/value heads");
        foreach (var l in ValidLengths)
            if (l < 0 || l > Length) throw new ArgumentException($"sequence length {l} outside [0, {Length}]");
    }
}
