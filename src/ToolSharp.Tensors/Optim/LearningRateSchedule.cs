namespace ToolSharp.Tensors.Optim;

/// <summary>Learning rate as a function of the step: linear warm-up, then constant, linear or cosine decay to a floor.</summary>
public sealed record LearningRateSchedule(float BaseRate, int WarmupSteps = 0, int TotalSteps = 0, ScheduleShape Shape = ScheduleShape.Constant, float MinRatio = 0.1f)
{
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
}
