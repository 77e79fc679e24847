namespace ToolSharp.Evaluation.Reports;

/// <summary>One line of <see cref="SvgCharts.Lines"/>: its points, palette colour, and whether it gets a legend entry
/// (seeds of one method share a colour and a single entry).</summary>
public sealed record LineSeries(string Label, int Color, IReadOnlyList<(double X, double Y)> Points, bool InLegend = true);
