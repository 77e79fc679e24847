using ToolSharp.Training.Grpo;
using ToolSharp.Training.Advantages;
using ToolSharp.Training.Prompts;
using ToolSharp.Training.Rewards;

namespace ToolSharp.Training.Benchmarks;

/// <summary>One arm of the RL ablation: a name and how it changes the base RL options.</summary>
public sealed record AblationMethod(string Name, string Description, Func<RlOptions, RlOptions> Apply)
{
    /// <summary>The arms of <c>toolsharp bench rl</c>: vanilla GRPO, each efficiency technique alone, both, and DAPO dynamic sampling.</summary>
    public static IReadOnlyList<AblationMethod> Standard(int updateRollouts, int solvedStreak) =>
    [
        new("grpo", "vanilla GRPO: every prompt, all n rollouts in the update", o => o with { PromptFilter = null, UpdateRolloutsPerPrompt = null, DynamicSampling = false }),
        new("filter", $"+ pre-rollout filter (skip prompts solved {solvedStreak}× in a row)", o => o with { PromptFilter = new PromptFilterOptions(solvedStreak), UpdateRolloutsPerPrompt = null, DynamicSampling = false }),
        new("downsample", $"+ max-variance down-sampling (update on {updateRollouts} of n)", o => o with { PromptFilter = null, UpdateRolloutsPerPrompt = updateRollouts, DynamicSampling = false }),
        new("filter+downsample", "both techniques", o => o with { PromptFilter = new PromptFilterOptions(solvedStreak), UpdateRolloutsPerPrompt = updateRollouts, DynamicSampling = false }),
        new("dapo", "DAPO dynamic sampling (drop zero-variance groups, refill)", o => o with { PromptFilter = null, UpdateRolloutsPerPrompt = null, DynamicSampling = true }),
    ];

    /// <summary>The agentic-RL arms (each on top of vanilla GRPO): ARPO with the same rollout budget, TAO-RL, OTC-GRPO.</summary>
    public static IReadOnlyList<AblationMethod> Agentic(int rolloutsPerPrompt) =>
    [
        new("arpo", $"ARPO: {rolloutsPerPrompt} rollouts = {rolloutsPerPrompt / 2} global + entropy-triggered branches, hard attribution",
            o => Vanilla(o) with { Arpo = new ArpoOptions(Budget: rolloutsPerPrompt, Global: Math.Max(1, rolloutsPerPrompt / 2), HardAttribution: true) }),
        new("tao", "TAO-RL: drop all-failed-tool trajectories, entropy-shaped post-tool advantages", o => Vanilla(o) with { Tao = new TaoOptions() }),
        new("otc", "OTC-GRPO tool-efficiency reward", o => Vanilla(o) with { Otc = new OtcOptions() }),
    ];

    private static RlOptions Vanilla(RlOptions o) => o with { PromptFilter = null, UpdateRolloutsPerPrompt = null, DynamicSampling = false };
}
