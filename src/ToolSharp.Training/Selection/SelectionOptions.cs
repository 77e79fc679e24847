namespace ToolSharp.Training.Selection;

/// <summary>Which samples of the kept groups go into the update.</summary>
/// <param name="UpdateRollouts">m: rollouts per group kept by max-variance down-sampling (the whole group when ≥ its size).</param>
/// <param name="DropAllToolCallsFailed">TAO-RL: leave out rollouts whose tool calls all failed.</param>
public sealed record SelectionOptions(int UpdateRollouts, bool DropAllToolCallsFailed = false);
