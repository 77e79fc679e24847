namespace ToolSharp.Training.Metrics;

/// <summary>One greedy validation: after which RL step, at how many training seconds, with what accuracy, and how many
/// tool calls the solved tasks took on average (the tool-efficiency side of OTC and ARPO; 0 when none was solved).</summary>
public sealed record ValidationPoint(long Step, double TrainingS, double Accuracy, double ToolCallsPerSolved = 0);
