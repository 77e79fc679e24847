namespace ToolSharp.Training.Pipeline;

/// <summary>Pure copy exercises mixed into the first warm-up steps, so the model learns to look numbers up before it
/// has to do so inside long demonstrations (see <see cref="CopyDrills"/>).</summary>
/// <param name="Fraction">Share of each batch's token budget the drills take while they run.</param>
/// <param name="Steps">How many warm-up steps, from the first, carry drills.</param>
/// <param name="MinDigits">Shortest number a drill copies.</param>
/// <param name="MaxDigits">Longest number a drill copies.</param>
public sealed record CopyDrillOptions(double Fraction = 0.3, int Steps = 300, int MinDigits = 2, int MaxDigits = 5);
