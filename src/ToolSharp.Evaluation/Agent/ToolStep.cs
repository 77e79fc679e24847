namespace ToolSharp.Evaluation.Agent;

/// <summary>One tool call of a step and what came of it.</summary>
/// <param name="Name">The function name the model used ("" when the call could not be read at all).</param>
/// <param name="Arguments">The arguments as JSON text (as written, for a malformed call).</param>
/// <param name="Result">The text the model was shown.</param>
/// <param name="Error">The error kind (<c>malformed_json</c>, <c>wrong_type</c>, <c>execution_failed</c>, …) or null on success.</param>
/// <param name="Milliseconds">Execution time.</param>
public sealed record ToolStep(string Name, string Arguments, string Result, string? Error, double Milliseconds);
