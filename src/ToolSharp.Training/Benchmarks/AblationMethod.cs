using ToolSharp.Training.Grpo;
using ToolSharp.Training.Sampling;

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
}
