namespace ToolSharp.Environments.Episodes;

/// <summary>One call of an assistant turn and what came of it, as the driver recorded it.</summary>
/// <param name="Name">The function name the model used ("" when the call could not be read at all).</param>
/// <param name="Arguments">The arguments as JSON text (the raw text of the turn, for a call that could not be read).</param>
/// <param name="Result">The text the model was shown ("" when the call did not run).</param>
/// <param name="Error">The error kind (<c>malformed_json</c>, <c>wrong_type</c>, <c>execution_failed</c>, …) or null on success.</param>
/// <param name="Milliseconds">Execution time.</param>
public sealed record CallOutcome(string Name, string Arguments, string Result, string? Error, double Milliseconds);
