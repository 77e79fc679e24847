using ToolSharp.Tensors.Optim;

namespace ToolSharp.Training.Pipeline;

/// <summary>Supervised warm-up before RL: teaches the model the tool-call format on the environment's demonstrations.</summary>
/// <param name="Demonstrations">Training tasks turned into demonstrations (0 skips the warm-up).</param>
/// <param name="Steps">Optimizer steps.</param>
/// <param name="BatchTokens">Tokens per batch.</param>
/// <param name="LearningRate">Peak learning rate (cosine decay after warm-up).</param>
/// <param name="WarmupSteps">Linear learning-rate warm-up steps.</param>
/// <param name="WeightDecay">AdamW decoupled weight decay.</param>
/// <param name="CheckpointEvery">Checkpoint every N steps so an interrupted warm-up resumes (0 = only at the end).</param>
/// <param name="Schedule">Decay after the learning-rate warm-up.</param>
/// <param name="CopyDrills">Copy drills mixed into the first steps (null = none).</param>
/// <param name="ProbeEvery">Measure the copy probe (<see cref="Metrics.CopyProbe"/>) every N steps and log it to warmup/metrics.jsonl (0 = never).</param>
/// <param name="ProbeTasks">Held-out demonstrations (the first N of the validation split) the copy probe reads.</param>
public sealed record WarmupOptions(
    int Demonstrations = 16000,
    int Steps = 2500,
    int BatchTokens = 2048,
    float LearningRate = 4e-3f,
    int WarmupSteps = 30,
    float WeightDecay = 0.1f,
    int CheckpointEvery = 200,
    ScheduleShape Schedule = ScheduleShape.Constant,
    CopyDrillOptions? CopyDrills = null,
    int ProbeEvery = 50,
    int ProbeTasks = 64);
