using ToolSharp.Tensors.Optim;
using ToolSharp.Training.Advantages;
using ToolSharp.Training.Prompts;
using ToolSharp.Training.Rewards;

namespace ToolSharp.Training.Grpo;

/// <summary>Everything that defines a GRPO-family RL run (YAML keys in snake_case; see docs/training.md).</summary>
public sealed record RlOptions
{
    public ulong Seed { get; init; } = 1;

    /// <summary>Optimizer steps.</summary>
    public int Steps { get; init; } = 200;

    /// <summary>Prompts whose groups form one update batch.</summary>
    public int PromptsPerStep { get; init; } = 8;

    /// <summary>n: rollouts sampled per prompt (the group the baseline is computed on).</summary>
    public int RolloutsPerPrompt { get; init; } = 8;

    /// <summary>m: rollouts per prompt back-propagated through (max-variance down-sampling when m &lt; n); null = all n.</summary>
    public int? UpdateRolloutsPerPrompt { get; init; }

    public AdvantageEstimator Estimator { get; init; } = AdvantageEstimator.Grpo;

    /// <summary>Online pre-rollout filtering of prompts that keep being solved; null = off.</summary>
    public PromptFilterOptions? PromptFilter { get; init; }

    /// <summary>DAPO dynamic sampling: drop zero-variance groups and refill from further prompts.</summary>
    public bool DynamicSampling { get; init; }

    /// <summary>Extra rollout rounds dynamic sampling may spend per step to refill the batch.</summary>
    public int MaxRefillRounds { get; init; } = 2;

    /// <summary>Size of the fixed pool of training prompts that epochs cycle through.</summary>
    public int PromptPool { get; init; } = 256;

    /// <summary>The environment split prompts (and warm-up demonstrations) come from; e.g. a BFCL category.</summary>
    public string TrainSplit { get; init; } = "train";

    /// <summary>The split validation tasks come from (kept apart from <see cref="TrainSplit"/>).</summary>
    public string ValidationSplit { get; init; } = "test";

    public RolloutOptions Rollout { get; init; } = new();

    public UpdateOptions Update { get; init; } = new();

    public float LearningRate { get; init; } = 1e-4f;

    public int WarmupSteps { get; init; } = 5;

    public ScheduleShape Schedule { get; init; } = ScheduleShape.Constant;

    public float WeightDecay { get; init; } = 0f;

    /// <summary>System prompt; null = the environment's default instructions.</summary>
    public string? Instructions { get; init; }

    /// <summary>Validation tasks (the first N of <see cref="ValidationSplit"/>, scored greedily).</summary>
    public int ValidationTasks { get; init; } = 64;

    /// <summary>Validate every N steps (and at the end); 0 = only at the end.</summary>
    public int ValidateEvery { get; init; } = 25;

    /// <summary>Validation accuracy that counts as "reached" for time-to-target.</summary>
    public double? TargetAccuracy { get; init; }

    /// <summary>Stop early once validation reaches <see cref="TargetAccuracy"/>.</summary>
    public bool StopAtTarget { get; init; }

    /// <summary>Reward added for a rollout whose every turn parsed cleanly (0 = off).</summary>
    public double FormatReward { get; init; }

    /// <summary>OTC tool-efficiency reward (replaces the correctness reward by α·r_tool·r_correct); null = off.</summary>
    public OtcOptions? Otc { get; init; }

    /// <summary>ToolRL reward (replaces the environment reward by format + graded call matching against the task's
    /// reference calls; needs an <see cref="ToolSharp.Environments.Episodes.IReferenceCalls"/> environment); null = off.</summary>
    // "toolrl" rather than the naming policy's "tool_rl": the method's name, as people type it.
    [System.Text.Json.Serialization.JsonPropertyName("toolrl")]
    public ToolRlOptions? ToolRl { get; init; }

    /// <summary>TAO-RL tool-aware filtering and entropy shaping; null = off.</summary>
    public TaoOptions? Tao { get; init; }

    /// <summary>ARPO entropy-adaptive branching; null = off.</summary>
    public ArpoOptions? Arpo { get; init; }

    /// <summary>Save a checkpoint every N steps (0 = only at the end).</summary>
    public int CheckpointEvery { get; init; } = 25;

    /// <summary>The reward these options train on.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public RewardOptions Reward => new(Otc, ToolRl, FormatReward);

    /// <summary>Rollouts a prompt's group holds: n, or ARPO's budget M when branching is on.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int GroupSize => Arpo?.Budget ?? RolloutsPerPrompt;

    /// <summary>m resolved against the group size (all of the group when unset).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int UpdateRollouts => Math.Min(UpdateRolloutsPerPrompt ?? GroupSize, GroupSize);
}
