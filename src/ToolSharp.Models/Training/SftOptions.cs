using ToolSharp.Tensors.Optim;

namespace ToolSharp.Models.Training;

/// <summary>Supervised fine-tuning settings.</summary>
/// <param name="Steps">Optimizer steps to run.</param>
/// <param name="BatchTokens">Tokens per batch (examples of similar length are grouped up to this budget).</param>
/// <param name="LearningRate">Peak learning rate.</param>
/// <param name="WarmupSteps">Linear warm-up steps.</param>
/// <param name="Schedule">Decay after warm-up.</param>
/// <param name="WeightDecay">AdamW decoupled weight decay (matrices only).</param>
/// <param name="ClipNorm">Global gradient-norm clip (0 = off).</param>
/// <param name="Seed">Seeds the data order.</param>
/// <param name="CheckpointEvery">Save a checkpoint every N steps (0 = only at the end when a store is given).</param>
public sealed record SftOptions(
    int Steps = 200,
    int BatchTokens = 4096,
    float LearningRate = 3e-3f,
    int WarmupSteps = 20,
    ScheduleShape Schedule = ScheduleShape.Cosine,
    float WeightDecay = 0.1f,
    double ClipNorm = 1.0,
    ulong Seed = 1,
    int CheckpointEvery = 0);
