using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using ToolSharp.Core.Errors;
using ToolSharp.Environments.Countries;

namespace ToolSharp.Environments.Sql;

/// <summary>
/// A SQLite database of the countries data, built once per process in memory and handed out as read-only connections.
/// </summary>
/// <remarks>
/// The database is built in memory, serialised into one native buffer, and every connection deserialises that buffer
/// with <c>SQLITE_DESERIALIZE_READONLY</c>: no copy, no file, and writes are impossible at the storage level. On top,
/// each connection gets an authorizer that allows only reading (SELECT, reading columns, functions, recursive CTEs; no
/// PRAGMA, ATTACH or DDL) and a 1 MB limit on string and blob sizes. The buffer lives as long as the process.
/// </remarks>
public sealed class CountriesDatabase
{
    /// <summary>The schema, as the <c>run_sql</c> tool describes it to the model.</summary>
    public const string Schema =
        "countries(code TEXT PRIMARY KEY, code2 TEXT, name TEXT, official_name TEXT, capital TEXT, region TEXT, subregion TEXT, area REAL, landlocked INTEGER); " +
        "languages(country_code TEXT, language TEXT); currencies(country_code TEXT, code TEXT, name TEXT); borders(country_code TEXT, neighbour_code TEXT)";

    private static readonly ConcurrentDictionary<CountryData, Lazy<CountriesDatabase>> Cache = new();

    private readonly IntPtr _image;
    private readonly long _size;

    private CountriesDatabase(IntPtr image, long size)
    {
        _image = image;
        _size = size;
    }

    /// <summary>The database of a dataset, built on first use.</summary>
    public static CountriesDatabase For(CountryData data) =>
        Cache.GetOrAdd(data, d => new Lazy<CountriesDatabase>(() => Build(d))).Value;

    /// <summary>Size of the database image in bytes.</summary>
    public long Size => _size;

    /// <summary>A new read-only connection (the caller disposes it).</summary>
    public SqliteConnection OpenReadOnly()
    {
        var connection = new SqliteConnection("Data Source=:memory:;Pooling=False");
        connection.Open();
        var handle = connection.Handle!;
        var rc = raw.sqlite3_deserialize(handle, "main", _image, _size, _size, raw.SQLITE_DESERIALIZE_READONLY);
        if (rc != raw.SQLITE_OK)
        {
            connection.Dispose();
            throw new ToolSharpException($"cannot open the countries database (SQLite error {rc})");
        }
        raw.sqlite3_limit(handle, raw.SQLITE_LIMIT_LENGTH, 1_000_000);
        raw.sqlite3_set_authorizer(handle, Authorize, null);
        return connection;
    }

    private static int Authorize(object userData, int action, utf8z p0, utf8z p1, utf8z database, utf8z view) =>
        action is raw.SQLITE_SELECT or raw.SQLITE_READ or raw.SQLITE_FUNCTION or raw.SQLITE_RECURSIVE ? raw.SQLITE_OK : raw.SQLITE_DENY;

    private static CountriesDatabase Build(CountryData data)
    {
        using var connection = new SqliteConnection("Data Source=:memory:;Pooling=False");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                CREATE TABLE countries (code TEXT PRIMARY KEY, code2 TEXT, name TEXT, official_name TEXT, capital TEXT, region TEXT, subregion TEXT, area REAL, landlocked INTEGER);
                CREATE TABLE languages (country_code TEXT, language TEXT);
                CREATE TABLE currencies (country_code TEXT, code TEXT, name TEXT);
                CREATE TABLE borders (country_code TEXT, neighbour_code TEXT);
                """;
            create.ExecuteNonQuery();
        }
        using (var tx = connection.BeginTransaction())
        {
            var country = Insert(connection, "countries", 9);
            var language = Insert(connection, "languages", 2);
            var currency = Insert(connection, "currencies", 3);
            var border = Insert(connection, "borders", 2);
            foreach (var c in data.Countries)
            {
                Run(country, c.Code, c.Code2, c.Name, c.OfficialName, c.Capitals.Count > 0 ? c.Capitals[0] : null, c.Region,
                    c.Subregion.Length > 0 ? c.Subregion : null, c.Area >= 0 ? c.Area : null, c.Landlocked ? 1 : 0);
                foreach (var l in c.Languages) Run(language, c.Code, l);
                foreach (var (code, name) in c.Currencies) Run(currency, c.Code, code, name);
                foreach (var b in c.Borders) Run(border, c.Code, b);
            }
            tx.Commit();
        }
        var image = raw.sqlite3_serialize(connection.Handle!, "main", out var size, 0);
        if (image == IntPtr.Zero) throw new ToolSharpException("cannot serialise the countries database");
        return new CountriesDatabase(image, size);
    }

    private static SqliteCommand Insert(SqliteConnection connection, string table, int columns)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO {table} VALUES ({string.Join(", ", Enumerable.Range(0, columns).Select(i => "$p" + i))})";
        for (var i = 0; i < columns; i++) command.Parameters.Add(new SqliteParameter("$p" + i, null));
        return command;
    }

    private static void Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        command.ExecuteNonQuery();
    }
}
