using ToolSharp.Tensors.Optim;
using ToolSharp.Training.Grpo;

namespace ToolSharp.Training.Pipeline;

/// <summary>A whole training run: environment, model, supervised warm-up and RL (YAML keys in snake_case; see docs/training.md).</summary>
public sealed record TrainConfig
{
    /// <summary>Environment spec as for <c>toolsharp env</c>, e.g. <c>arith:levels=1-2</c>.</summary>
    public string Environment { get; init; } = "arith:levels=1,digits=2-2";

    /// <summary>Built-in model preset (<c>tiny</c>, <c>small</c>) or a directory with config.json + model.safetensors; a
    /// Hugging Face folder with its own tokenizer.json and chat template may carry template options, <c>DIR#format=hermes,thinking=true,accept_drift=true</c>.</summary>
    public string Model { get; init; } = "tiny";

    /// <summary>Seeds model initialisation, warm-up data order and RL.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Engine threads (0 = all cores).</summary>
    public int Threads { get; init; }

    /// <summary>The embedded default: 900 steps with copy drills in the first 300, which move the copy transition from
    /// beyond step 1,000–2,500 to about step 450–750 for four seeds in five (docs/training.md, "The warm-up and the copy plateau").</summary>
    public WarmupOptions Warmup { get; init; } = new() { Steps = 900, CopyDrills = new CopyDrillOptions() };

    /// <summary>The embedded default: efficient GRPO (pre-rollout filter k = 1, max-variance down-sampling 8 → 4), a
    /// higher learning rate than large-model recipes because the tiny model is far from saturated, no system prompt.</summary>
    public RlOptions Rl { get; init; } = new()
    {
        Steps = 40,
        PromptsPerStep = 8,
        RolloutsPerPrompt = 8,
        UpdateRolloutsPerPrompt = 4,
        PromptFilter = new Prompts.PromptFilterOptions(SolvedStreakToSkip: 1),
        LearningRate = 5e-4f,
        Schedule = ScheduleShape.Cosine,
        Instructions = "",
        ValidationTasks = 128,
        ValidateEvery = 20,
        CheckpointEvery = 20,
    };
}
