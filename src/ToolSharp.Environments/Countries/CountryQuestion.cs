namespace ToolSharp.Environments.Countries;

/// <summary>A generated question about countries with its exact answer, computed from the data.</summary>
/// <param name="Key">Stable identity (template and subject), used to split and order questions.</param>
/// <param name="Template">Which kind of question (e.g. <c>largest_neighbour</c>).</param>
/// <param name="Text">The question.</param>
/// <param name="Answer">The reference answer as shown to people.</param>
/// <param name="Accepted">Every form accepted as correct (names, official names, codes).</param>
/// <param name="Numeric">True when the answer is a number (compared as a number).</param>
/// <param name="Hops">How many lookups the question needs at least (1 single-hop, 2–3 multi-hop).</param>
public sealed record CountryQuestion(string Key, string Template, string Text, string Answer, IReadOnlyList<string> Accepted, bool Numeric, int Hops);
