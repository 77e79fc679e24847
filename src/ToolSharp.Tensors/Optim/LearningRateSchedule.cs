namespace ToolSharp.Tensors.Optim;

/// <summary>Learning rate as a function of the step: linear warm-up, then constant, linear or cosine decay to a floor,
/// or constant with a linear decay over the last <see cref="DecayFraction"/> of the steps (warm-up–stable–decay).</summary>
public sealed record LearningRateSchedule(float BaseRate, int WarmupSteps = 0, int TotalSteps = 0, ScheduleShape Shape = ScheduleShape.Constant, float MinRatio = 0.1f)
{
    /// <summary>The share of the steps after warm-up that <see cref="ScheduleShape.Wsd"/> spends decaying.</summary>
    public const double DecayFraction = 0.2;

    /// <summary>The rate for a 0-based step.</summary>
    public float At(long step)
    {
        if (WarmupSteps > 0 && step < WarmupSteps) return BaseRate * (step + 1) / WarmupSteps;
        if (Shape == ScheduleShape.Constant || TotalSteps <= WarmupSteps) return BaseRate;
        var progress = Math.Clamp((double)(step - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps), 0, 1);
        var factor = Shape switch
        {
            ScheduleShape.Linear => 1 - progress,
            ScheduleShape.Cosine => 0.5 * (1 + Math.Cos(Math.PI * progress)),
            ScheduleShape.Wsd => Math.Min(1, (1 - progress) / DecayFraction),
            _ => 1.0,
        };
        return (float)(BaseRate * (MinRatio + (1 - MinRatio) * factor));
    }
}

/// <summary>The decay shape after warm-up.</summary>
public enum ScheduleShape
{
    Constant,
    Linear,
    Cosine,

    /// <summary>Warm-up–stable–decay: the base rate until the last fifth of the steps, then linear to the floor.</summary>
    Wsd,
}
