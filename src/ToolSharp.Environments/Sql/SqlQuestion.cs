namespace ToolSharp.Environments.Sql;

/// <summary>A question about the countries database with the reference query whose result is the answer.</summary>
/// <param name="Key">Stable identity, used to split and order questions.</param>
/// <param name="Template">Which kind of question.</param>
/// <param name="Text">The question.</param>
/// <param name="ReferenceSql">The query whose single value is the answer.</param>
/// <param name="Numeric">True when the answer is a number.</param>
/// <param name="Difficulty">1 for one table, 2 for a join or aggregate over groups.</param>
public sealed record SqlQuestion(string Key, string Template, string Text, string ReferenceSql, bool Numeric, int Difficulty);
