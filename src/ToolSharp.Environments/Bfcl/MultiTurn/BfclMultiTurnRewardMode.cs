namespace ToolSharp.Environments.Bfcl.MultiTurn;

/// <summary>How a BFCL multi-turn episode's reward is computed (correctness is always the checker's verdict).</summary>
public enum BfclMultiTurnRewardMode
{
    /// <summary>BFCL's own score: 1 when the checker passes the entry, else 0.</summary>
    Entry,

    /// <summary>The fraction of turns the checker passed before the first failing one (1 for a passing entry): a denser
    /// signal for RL on entries no rollout solves whole. Option <c>bfcl:reward=per_turn</c>.</summary>
    PerTurn,
}
