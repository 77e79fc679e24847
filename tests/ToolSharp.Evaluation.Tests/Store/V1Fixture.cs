using Microsoft.Data.Sqlite;

namespace ToolSharp.Evaluation.Tests.Store;

/// <summary>The v1 results database of <c>Store/Fixtures</c> (see its README), recreated from its SQL dump.</summary>
public static class V1Fixture
{
    public static string File(string name) => Path.Combine(AppContext.BaseDirectory, "Store", "Fixtures", name);

    /// <summary>Writes the v1 database to <paramref name="path"/> exactly as the dump holds it (no user_version).</summary>
    public static void CreateDatabase(string path)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = System.IO.File.ReadAllText(File("results-v1.sql"));
        cmd.ExecuteNonQuery();
    }

    /// <summary>Rows of a query on a database opened without the store, as column → value.</summary>
    public static List<Dictionary<string, object?>> Query(string path, string sql)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (r.Read()) rows.Add(Enumerable.Range(0, r.FieldCount).ToDictionary(r.GetName, i => r.IsDBNull(i) ? null : r.GetValue(i)));
        return rows;
    }
}
