namespace ToolSharp.Training.Advantages;

/// <summary>TAO-RL settings: drop trajectories whose tool calls all failed and groups whose rewards are all equal (no
/// refill, unlike DAPO), shape post-tool advantages by entropy.</summary>
public sealed record TaoOptions(bool FilterAllFailed = true, double EntropyCoefficient = 0.01, bool ExemptPostToolFromClip = false, bool FilterZeroVariance = true);
