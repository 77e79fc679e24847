namespace ToolSharp.Training.Grpo;

/// <summary>Diagnostics of one policy update.</summary>
public sealed record UpdateResult(double Loss, double ClipFraction, double ApproxKl, double ReferenceKl, double MeanEntropy, double GradNorm, int Sequences, int Tokens, float LearningRate);
