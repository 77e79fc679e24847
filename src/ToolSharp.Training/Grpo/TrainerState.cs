using ToolSharp.Training.Metrics;
using ToolSharp.Training.Prompts;

namespace ToolSharp.Training.Grpo;

/// <summary>Everything of a GRPO run besides the weights and optimizer moments that a resumed run needs to continue
/// exactly: one record, saved with every checkpoint (<c>trainer_state.json</c>).</summary>
/// <param name="Kind">Always <c>rl</c> (the warm-up writes its own kind).</param>
/// <param name="Step">RL steps done.</param>
/// <param name="Epoch">Passes over the prompt pool begun.</param>
/// <param name="Cursor">Position in the current epoch's prompt order.</param>
/// <param name="Rng">The trainer's random state (the filter's retry draws), as a decimal string.</param>
/// <param name="WallClockS">Seconds spent in RL, validation included, over every session.</param>
/// <param name="Exhausted">True once every prompt of the pool is being skipped.</param>
/// <param name="Phases">Seconds per phase over the run.</param>
/// <param name="Validation">Every validation so far.</param>
/// <param name="SkippedTotal">Prompt-epochs the filter skipped.</param>
/// <param name="Filter">The filter's record per prompt; null when the filter is off.</param>
public sealed record TrainerState(
    string Kind,
    long Step,
    int Epoch,
    int Cursor,
    string Rng,
    double WallClockS,
    bool Exhausted,
    IReadOnlyDictionary<string, double> Phases,
    IReadOnlyList<ValidationPoint> Validation,
    long SkippedTotal,
    IReadOnlyDictionary<string, PromptFilter.PromptRecord>? Filter);
