namespace ToolSharp.Training.Rewards;

/// <summary>Which reward an RL run trains on: the environment's score unless OTC or ToolRL replaces it, plus an optional format bonus.</summary>
/// <param name="Otc">OTC's tool-efficiency reward; null = off.</param>
/// <param name="ToolRl">ToolRL's format + graded call-matching reward; null = off.</param>
/// <param name="FormatReward">Added to every rollout whose turns all parsed cleanly (0 = off).</param>
public sealed record RewardOptions(OtcOptions? Otc = null, ToolRlOptions? ToolRl = null, double FormatReward = 0);
