namespace ToolSharp.Training.Rewards;

/// <summary>ToolRL settings: with <paramref name="FormatReward"/> the reward is format (0 or 1) + correctness (−3..3), else correctness alone.</summary>
public sealed record ToolRlOptions(bool FormatReward = true);
