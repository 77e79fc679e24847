namespace ToolSharp.Models.Training;

/// <summary>One tokenized conversation for supervised fine-tuning: token ids and a loss mask (1 on assistant tokens).</summary>
public sealed record SftExample(int[] Tokens, float[] LossMask)
{
    public int Length => Tokens.Length;

    /// <summary>Number of tokens the loss is computed on.</summary>
    public int TrainedTokens => LossMask.Skip(1).Count(m => m > 0);
}
