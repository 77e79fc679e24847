namespace ToolSharp.Models.Generation;

/// <summary>A token id with its log-prob under the sampling distribution.</summary>
public readonly record struct TokenLogProb(int Token, float LogProb);
