namespace ToolSharp.Evaluation.Sweeps;

/// <summary>A model under evaluation: a label for tables and a spec (<c>openai:URL[,URL…]#MODEL</c> or <c>builtin:PATH</c>).</summary>
/// <param name="Label">Short unique name in tables and plots.</param>
/// <param name="Spec">What to run.</param>
/// <param name="Concurrency">Requests in flight at once for this model (endpoint policies).</param>
public sealed record ModelEntry(string Label, string Spec, int Concurrency = 8);
