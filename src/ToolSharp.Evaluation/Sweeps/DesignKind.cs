namespace ToolSharp.Evaluation.Sweeps;

/// <summary>How factor settings are chosen from the factor levels.</summary>
public enum DesignKind
{
    /// <summary>Every combination of levels (cartesian product).</summary>
    Full,
    /// <summary>The baseline (first level of each factor) plus every other level of one factor at a time.</summary>
    OneFactorAtATime,
    /// <summary>A seeded random subset of the full design, of a given size.</summary>
    Random,
    /// <summary>A D-optimal fraction of the full design for the main-effects model (<see cref="FractionalDesign"/>), the baseline included.</summary>
    Fractional,
}
