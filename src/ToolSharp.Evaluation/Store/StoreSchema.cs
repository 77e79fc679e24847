using Microsoft.Data.Sqlite;
using ToolSharp.Core.Errors;

namespace ToolSharp.Evaluation.Store;

/// <summary>The results database's schema versions and the migration to each. A database records its version in
/// <c>PRAGMA user_version</c>; opening one runs the migrations it lacks, each in one transaction.</summary>
/// <remarks>
/// Version 1 is the store as first released, which wrote no <c>user_version</c>: a database with version 0 and an
/// <c>episodes</c> table is a version 1 database. A new database runs every migration from the start, so a new
/// database and a migrated one have the same schema. A shipped migration is never edited: a change is a new one.
/// </remarks>
internal static class StoreSchema
{
    public const int Current = 2;

    /// <summary>Migration i takes a database from version i to version i + 1.</summary>
    private static readonly string[] Migrations =
    [
        // → 1: one row per episode; the factor levels as columns of configurations.
        """
        CREATE TABLE manifest(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE configurations(
            hash TEXT PRIMARY KEY, model TEXT NOT NULL, model_spec TEXT NOT NULL, environment TEXT NOT NULL,
            system_prompt TEXT NOT NULL, template TEXT NOT NULL, history TEXT NOT NULL, format TEXT NOT NULL,
            temperature TEXT NOT NULL, top_p TEXT NOT NULL, instructions TEXT NOT NULL);
        CREATE TABLE episodes(
            config_hash TEXT NOT NULL, task_id TEXT NOT NULL, seed INTEGER NOT NULL, trial INTEGER NOT NULL,
            split TEXT NOT NULL, reward REAL NOT NULL, correct INTEGER NOT NULL, expected TEXT, got TEXT, details TEXT,
            ending TEXT NOT NULL, turns INTEGER NOT NULL, tool_calls INTEGER NOT NULL, failed_tool_calls INTEGER NOT NULL,
            malformed_calls INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
            uncached_prompt_tokens INTEGER NOT NULL, tokens_estimated INTEGER NOT NULL, latency_ms REAL NOT NULL,
            steps_json TEXT NOT NULL, transcript_json TEXT NOT NULL, finished_at TEXT NOT NULL,
            PRIMARY KEY(config_hash, task_id, seed, trial));
        """,
        // → 2: factors as data. A factor is a row of `factors` (its display position) and one level per configuration
        // in `configuration_factors`, so a new factor needs no schema change. A new database starts with no factors:
        // the first configurations written register theirs.
        """
        CREATE TABLE factors(name TEXT PRIMARY KEY, position INTEGER NOT NULL UNIQUE);
        CREATE TABLE configuration_factors(
            config_hash TEXT NOT NULL REFERENCES configurations(hash), factor TEXT NOT NULL REFERENCES factors(name),
            level TEXT NOT NULL, PRIMARY KEY(config_hash, factor));
        INSERT INTO factors(name, position)
            SELECT column1, column2 FROM (VALUES ('system_prompt', 0), ('template', 1), ('history', 2), ('format', 3), ('temperature', 4), ('top_p', 5))
            WHERE EXISTS (SELECT 1 FROM configurations);
        INSERT INTO configuration_factors(config_hash, factor, level)
                  SELECT hash, 'system_prompt', system_prompt FROM configurations
        UNION ALL SELECT hash, 'template', template FROM configurations
        UNION ALL SELECT hash, 'history', history FROM configurations
        UNION ALL SELECT hash, 'format', format FROM configurations
        UNION ALL SELECT hash, 'temperature', temperature FROM configurations
        UNION ALL SELECT hash, 'top_p', top_p FROM configurations;
        ALTER TABLE configurations DROP COLUMN system_prompt;
        ALTER TABLE configurations DROP COLUMN template;
        ALTER TABLE configurations DROP COLUMN history;
        ALTER TABLE configurations DROP COLUMN format;
        ALTER TABLE configurations DROP COLUMN temperature;
        ALTER TABLE configurations DROP COLUMN top_p;
        """,
    ];

    /// <summary>Brings the database up to <see cref="Current"/>; throws one line when it is newer or not a results database.</summary>
    public static void Migrate(SqliteConnection db, string path)
    {
        using var tx = db.BeginTransaction(deferred: false);
        var version = Version(db, tx, path);
        if (version > Current)
            throw new ToolSharpException($"{path}: results database schema version {version} is newer than this ToolSharp reads (up to {Current}); open it with a newer toolsharp");
        for (; version < Current; version++)
        {
            Run(db, tx, Migrations[version]);
            Run(db, tx, $"PRAGMA user_version = {version + 1}");
        }
        tx.Commit();
    }

    /// <summary>The schema version of an open database: its <c>user_version</c>, or 1 for a store written before versioning.</summary>
    public static int Version(SqliteConnection db, SqliteTransaction? tx, string path)
    {
        var version = Convert.ToInt32(Scalar(db, tx, "PRAGMA user_version"));
        if (version != 0) return version;
        var tables = new List<string>();
        using (var cmd = db.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            using var r = cmd.ExecuteReader();
            while (r.Read()) tables.Add(r.GetString(0));
        }
        if (tables.Count == 0) return 0;
        if (tables.Contains("episodes") && tables.Contains("configurations") && tables.Contains("manifest")) return 1;
        throw new ToolSharpException($"{path}: not a ToolSharp results database (its tables: {string.Join(", ", tables)})");
    }

    private static object? Scalar(SqliteConnection db, SqliteTransaction? tx, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private static void Run(SqliteConnection db, SqliteTransaction tx, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
