namespace ToolSharp.Models.Training;

/// <summary>What an SFT step reports: loss, tokens trained, throughput and the rate used.</summary>
public sealed record SftProgress(long Step, int TotalSteps, double Loss, int Tokens, double TokensPerSecond, float LearningRate, double GradNorm);
