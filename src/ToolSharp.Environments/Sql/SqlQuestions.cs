using Microsoft.Data.Sqlite;

namespace ToolSharp.Environments.Sql;

/// <summary>Generates the SQL environment's questions from the database itself, keeping only those with a single unambiguous answer.</summary>
public static class SqlQuestions
{
    public static IReadOnlyList<SqlQuestion> All(CountriesDatabase database)
    {
        using var db = database.OpenReadOnly();
        var list = new List<SqlQuestion>();
        foreach (var region in Strings(db, "SELECT DISTINCT region FROM countries ORDER BY region"))
        {
            var r = Quote(region);
            list.Add(new($"count|{region}", "count", $"How many countries are in the region {region}?",
                $"SELECT COUNT(*) FROM countries WHERE region = {r}", true, 1));
            list.Add(new($"landlocked|{region}", "landlocked", $"How many landlocked countries are in the region {region}?",
                $"SELECT COUNT(*) FROM countries WHERE region = {r} AND landlocked = 1", true, 1));
            list.Add(new($"top_language|{region}", "top_language", $"Which language is an official language in the most countries of {region}?",
                $"SELECT language FROM languages JOIN countries ON code = country_code WHERE region = {r} GROUP BY language ORDER BY COUNT(*) DESC LIMIT 1", false, 2));
        }
        foreach (var subregion in Strings(db, "SELECT DISTINCT subregion FROM countries WHERE subregion IS NOT NULL ORDER BY subregion"))
        {
            var s = Quote(subregion);
            list.Add(new($"largest|{subregion}", "largest", $"Which country in {subregion} has the largest area?",
                $"SELECT name FROM countries WHERE subregion = {s} AND area IS NOT NULL ORDER BY area DESC LIMIT 1", false, 1));
            list.Add(new($"smallest|{subregion}", "smallest", $"Which country in {subregion} has the smallest area?",
                $"SELECT name FROM countries WHERE subregion = {s} AND area IS NOT NULL ORDER BY area ASC LIMIT 1", false, 1));
            list.Add(new($"total_area|{subregion}", "total_area", $"What is the total area of the countries in {subregion} in square kilometres, rounded to a whole number?",
                $"SELECT CAST(ROUND(SUM(area)) AS INTEGER) FROM countries WHERE subregion = {s}", true, 1));
        }
        foreach (var language in Strings(db, "SELECT language FROM languages GROUP BY language HAVING COUNT(*) >= 2 ORDER BY language"))
        {
            list.Add(new($"language|{language}", "language", $"How many countries have {language} as an official language?",
                $"SELECT COUNT(*) FROM languages WHERE language = {Quote(language)}", true, 1));
        }
        foreach (var code in Strings(db, "SELECT code FROM currencies GROUP BY code HAVING COUNT(*) >= 2 ORDER BY code"))
        {
            list.Add(new($"currency|{code}", "currency", $"How many countries use the currency with code {code}?",
                $"SELECT COUNT(*) FROM currencies WHERE code = {Quote(code)}", true, 1));
        }
        foreach (var name in Strings(db, "SELECT name FROM countries WHERE code IN (SELECT country_code FROM borders) ORDER BY code"))
        {
            list.Add(new($"neighbours|{name}", "neighbours", $"How many land neighbours does {name} have?",
                $"SELECT COUNT(*) FROM borders WHERE country_code = (SELECT code FROM countries WHERE name = {Quote(name)})", true, 2));
        }
        return list.Where(q => IsUnambiguous(db, q)).ToList();
    }

    /// <summary>Runs a reference query and returns its single value as text (numbers without trailing zeros).</summary>
    public static string? Answer(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        var value = command.ExecuteScalar();
        return value switch
        {
            null or DBNull => null,
            double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>SQL string literal: single quotes doubled.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "''") + "'";

    // A top-1 question is kept only when the first row's ordering value is strictly ahead of the second's.
    private static bool IsUnambiguous(SqliteConnection db, SqlQuestion q)
    {
        if (Answer(db, q.ReferenceSql) is null) return false;
        if (!q.ReferenceSql.EndsWith("LIMIT 1", StringComparison.Ordinal)) return true;
        var ordering = q.Template == "top_language" ? "COUNT(*)" : "area";
        var probe = q.ReferenceSql.Replace("SELECT name FROM", $"SELECT {ordering} FROM").Replace("SELECT language FROM", $"SELECT {ordering} FROM")
            .Replace("LIMIT 1", "LIMIT 2");
        using var command = db.CreateCommand();
        command.CommandText = probe;
        using var reader = command.ExecuteReader();
        var values = new List<double>();
        while (reader.Read()) values.Add(reader.GetDouble(0));
        return values.Count == 1 || values[0] != values[1];
    }

    private static IReadOnlyList<string> Strings(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var list = new List<string>();
        while (reader.Read()) list.Add(reader.GetString(0));
        return list;
    }
}
