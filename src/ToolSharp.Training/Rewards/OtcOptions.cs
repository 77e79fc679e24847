namespace ToolSharp.Training.Rewards;

/// <summary>OTC settings: r = α·r_tool·r_correct with smoothing constant c; GRPO variant uses the group's fewest calls.</summary>
public sealed record OtcOptions(double Alpha = 1.0, double C = 1.0, bool PpoVariant = false);
