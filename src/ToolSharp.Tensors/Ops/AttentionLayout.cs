namespace ToolSharp.Tensors.Ops;

/// <summary>How rows of q/k/v form sequences: sequence s occupies rows [Starts[s], Starts[s] + Lengths[s]).</summary>
/// <remarks>
/// Sequences can be packed back to back (no padding rows to compute) or laid out in a padded rectangle; rows that
/// belong to no sequence attend to nothing and produce zeros.
/// </remarks>
public sealed record AttentionLayout
{
    public AttentionLayout(int rows, int[] starts, int[] lengths, int heads, int kvHeads, int headDim)
    {
        Rows = rows;
        Starts = starts;
        Lengths = lengths;
        Heads = heads;
        KvHeads = kvHeads;
        HeadDim = headDim;
        if (starts.Length != lengths.Length) throw new ArgumentException($"{starts.Length} starts for {lengths.Length} lengths");
        if (heads % kvHeads != 0) throw new ArgumentException($"{heads} heads are not a multiple of {kvHeads} key/value heads");
        for (var s = 0; s < starts.Length; s++)
            if (starts[s] < 0 || lengths[s] < 0 || starts[s] + lengths[s] > rows) throw new ArgumentException($"sequence {s} rows [{starts[s]}, {starts[s] + lengths[s]}) outside [0, {rows})");
    }

    /// <summary>Sequences packed back to back.</summary>
    public static AttentionLayout Packed(int[] lengths, int heads, int kvHeads, int headDim)
    {
        var starts = new int[lengths.Length];
        for (var s = 1; s < lengths.Length; s++) starts[s] = starts[s - 1] + lengths[s - 1];
        return new AttentionLayout(lengths.Sum(), starts, lengths, heads, kvHeads, headDim);
    }

    /// <summary>A padded [batch, length] rectangle with per-sequence valid lengths.</summary>
    public static AttentionLayout Padded(int length, int[] validLengths, int heads, int kvHeads, int headDim) =>
        new(validLengths.Length * length, validLengths.Select((_, s) => s * length).ToArray(), validLengths, heads, kvHeads, headDim);

    public int Rows { get; }

    public int[] Starts { get; }

    public int[] Lengths { get; }

    public int Heads { get; }

    public int KvHeads { get; }

    public int HeadDim { get; }

    public int Sequences => Starts.Length;

    public int QueryWidth => Heads * HeadDim;

    public int KvWidth => KvHeads * HeadDim;

    /// <summary>Query heads per key/value head (grouped-query attention).</summary>
    public int Group => Heads / KvHeads;
}
