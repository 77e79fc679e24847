namespace ToolSharp.Training.Losses;

/// <summary>How per-token losses of a mini-batch are combined into one scalar (verl's <c>loss_agg_mode</c>).</summary>
public enum LossAggregation
{
    /// <summary>Mean over all valid tokens of the mini-batch (DAPO's choice; long answers weigh more).</summary>
    TokenMean,
    /// <summary>Mean over sequences of each sequence's token mean (the original GRPO objective).</summary>
    SequenceMeanTokenMean,
    /// <summary>Mean over sequences of each sequence's token sum.</summary>
    SequenceMeanTokenSum,
    /// <summary>Token sum divided by (sequences × a fixed length), Dr.GRPO's length-unbiased form.</summary>
    SequenceMeanTokenSumNorm,
}
