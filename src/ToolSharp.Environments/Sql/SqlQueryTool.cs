using System.Text.Json;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Environments.Sql;

/// <summary>The <c>run_sql(query)</c> tool: one read-only SELECT on the countries database, with a time limit and a row cap.</summary>
/// <remarks>
/// Output: <c>{"columns": [...], "rows": [[...]], "truncated": bool}</c>, at most <see cref="MaxRows"/> rows. A query
/// that runs longer than <see cref="QueryTimeout"/> is interrupted (SQLite's progress handler). Only one statement is
/// accepted. Every call opens its own read-only connection, so calls from parallel episodes never share state.
/// </remarks>
public sealed class SqlQueryTool : ITool
{
    public SqlQueryTool(CountriesDatabase database, int maxRows = 50, TimeSpan? queryTimeout = null, TimeProvider? clock = null)
    {
        Database = database;
        MaxRows = maxRows;
        QueryTimeout = queryTimeout ?? TimeSpan.FromSeconds(2);
        Clock = clock ?? TimeProvider.System;
    }

    public static readonly ToolSpec DefaultSpec = new("run_sql",
        "Run one read-only SQLite SELECT query on the countries database and return JSON {columns, rows, truncated}. Tables: " + CountriesDatabase.Schema,
        JsonValues.Parse("""{"type":"object","properties":{"query":{"type":"string","description":"One SELECT statement"}},"required":["query"]}"""));

    public CountriesDatabase Database { get; }

    public int MaxRows { get; }

    public TimeSpan QueryTimeout { get; }

    /// <summary>The clock <see cref="QueryTimeout"/> is measured on; tests pass a fake one.</summary>
    public TimeProvider Clock { get; }

    public ToolSpec Spec => DefaultSpec;

    public ValueTask<string> InvokeAsync(JsonElement arguments, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Run(arguments.GetProperty("query").GetString()!, cancellationToken));

    /// <summary>Runs a query and returns the JSON result; failures are <see cref="ToolInvocationException"/>s with SQLite's reason.</summary>
    public string Run(string query, CancellationToken cancellationToken = default)
    {
        using var connection = Database.OpenReadOnly();
        RequireSingleStatement(connection, query);
        var started = Clock.GetTimestamp();
        var timedOut = false;
        raw.sqlite3_progress_handler(connection.Handle!, 1000, _ =>
        {
            if (Clock.GetElapsedTime(started) <= QueryTimeout && !cancellationToken.IsCancellationRequested) return 0;
            timedOut = true;
            return 1;
        }, null);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = query;
            using var reader = command.ExecuteReader();
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
            var rows = new List<object?[]>();
            var truncated = false;
            while (reader.Read())
            {
                if (rows.Count == MaxRows)
                {
                    truncated = true;
                    break;
                }
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                rows.Add(row);
            }
            return Format(columns, rows, truncated);
        }
        catch (SqliteException ex)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (timedOut) throw new ToolInvocationException($"query interrupted after {QueryTimeout.TotalSeconds:0.#} s (time limit)");
            if (ex.SqliteErrorCode == raw.SQLITE_AUTH) throw new ToolInvocationException("only read-only SELECT queries are allowed");
            throw new ToolInvocationException(Clean(ex.Message));
        }
    }

    /// <summary>Rows as compact JSON; the shape every caller of the tool sees.</summary>
    public static string Format(IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, bool truncated) =>
        JsonValues.ToCompact(JsonValues.Build(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("columns");
            foreach (var c in columns) w.WriteStringValue(c);
            w.WriteEndArray();
            w.WriteStartArray("rows");
            foreach (var row in rows)
            {
                w.WriteStartArray();
                foreach (var value in row)
                {
                    switch (value)
                    {
                        case null: w.WriteNullValue(); break;
                        case long l: w.WriteNumberValue(l); break;
                        case double d: w.WriteNumberValue(d); break;
                        case string s: w.WriteStringValue(s); break;
                        case byte[] b: w.WriteStringValue($"<blob {b.Length} bytes>"); break;
                        default: w.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                    }
                }
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteBoolean("truncated", truncated);
            w.WriteEndObject();
        }));

    private static void RequireSingleStatement(SqliteConnection connection, string query)
    {
        if (string.IsNullOrWhiteSpace(query)) throw new ToolInvocationException("the query is empty");
        var rest = query;
        var statements = 0;
        while (!string.IsNullOrWhiteSpace(rest))
        {
            var rc = raw.sqlite3_prepare_v2(connection.Handle!, rest, out var statement, out var tail);
            using (statement)
            {
                if (rc != raw.SQLITE_OK)
                {
                    var message = raw.sqlite3_errmsg(connection.Handle!).utf8_to_string();
                    throw new ToolInvocationException(rc == raw.SQLITE_AUTH ? "only read-only SELECT queries are allowed" : message);
                }
                // Comments and stray semicolons prepare to no statement at all.
                if (!statement.IsInvalid && ++statements > 1) throw new ToolInvocationException("send one statement per call (found more after the first ';')");
            }
            rest = tail ?? "";
        }
        if (statements == 0) throw new ToolInvocationException("the query holds no statement");
    }

    private static string Clean(string message)
    {
        // "SQLite Error 1: 'no such table: x'." → "no such table: x"
        var start = message.IndexOf('\'');
        var end = message.LastIndexOf('\'');
        return start >= 0 && end > start ? message[(start + 1)..end] : message;
    }
}
