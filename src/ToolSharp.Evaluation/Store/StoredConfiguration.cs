namespace ToolSharp.Evaluation.Store;

/// <summary>A configuration as the results store keeps it: its hash, model, environment, resolved system prompt and
/// factor levels — plain data, so a sweep, an eval run or a study can write one without the store knowing how it was planned.</summary>
/// <param name="Hash">The configuration hash that episodes are keyed by.</param>
/// <param name="Model">The model's label in tables.</param>
/// <param name="ModelSpec">What was run (<c>openai:…</c> or <c>builtin:…</c>).</param>
/// <param name="Environment">The environment entry's label, e.g. <c>arith/test</c>.</param>
/// <param name="Instructions">The system prompt text the episodes were given.</param>
/// <param name="Factors">Factor name → level, in display order. Any names (not the store's own column names) may appear;
/// a factor the store has not seen before is registered on first use.</param>
public sealed record StoredConfiguration(string Hash, string Model, string ModelSpec, string Environment, string Instructions,
    IReadOnlyDictionary<string, string> Factors);
