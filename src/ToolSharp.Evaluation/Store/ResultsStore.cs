using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ToolSharp.Core.Errors;
using ToolSharp.Evaluation.Agent;

namespace ToolSharp.Evaluation.Store;

/// <summary>The SQLite results database: one row per finished episode keyed by (configuration hash, task, seed, trial),
/// the configurations with their factor levels, and the run manifest. Plain SQL can query it.</summary>
/// <remarks>
/// Each episode is committed on its own as soon as it finishes (WAL journal, synchronous=NORMAL), so a killed sweep
/// loses at most the episodes in flight; <c>INSERT OR IGNORE</c> on the primary key means a resumed sweep can never
/// store an episode twice. Writes are serialised through one connection. Factors are data (<see cref="StoredConfiguration.Factors"/>),
/// so the store needs no change when a sweep gains a factor; the schema is versioned (<see cref="StoreSchema"/>).
/// </remarks>
public sealed class ResultsStore : IDisposable
{
    /// <summary>The schema version this store writes; older databases are migrated to it when opened.</summary>
    public const int SchemaVersion = StoreSchema.Current;

    private readonly SqliteConnection _db;
    private readonly Lock _gate = new();

    private ResultsStore(SqliteConnection db, string path)
    {
        _db = db;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Names a factor may not take: the export columns, and <c>task</c>, which the variance decomposition uses.</summary>
    public static IReadOnlySet<string> ReservedNames { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "model", "environment", "task", "config_hash", "task_id", "seed", "trial", "split", "reward", "correct", "expected", "got", "details",
        "ending", "turns", "tool_calls", "failed_tool_calls", "malformed_calls", "prompt_tokens", "completion_tokens",
        "uncached_prompt_tokens", "tokens_estimated", "latency_ms", "steps", "transcript", "finished_at",
    };

    /// <summary>Opens (creating if needed) a results database, migrating an older schema to <see cref="SchemaVersion"/>.</summary>
    public static ResultsStore Open(string path, bool mustExist = false)
    {
        if (mustExist && !File.Exists(path)) throw new ToolSharpException($"results database not found: {path}");
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            db.Open();
            using (var cmd = db.CreateCommand())
            {
                cmd.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
                cmd.ExecuteNonQuery();
            }
            StoreSchema.Migrate(db, path);
        }
        catch (SqliteException ex)
        {
            db.Dispose();
            throw new ToolSharpException($"{path}: not a usable results database ({ex.Message})", ex);
        }
        catch
        {
            db.Dispose();
            throw;
        }
        return new ResultsStore(db, path);
    }

    public void SetManifest(string key, string value)
    {
        lock (_gate) Execute("INSERT INTO manifest(key, value) VALUES($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value", ("key", key), ("value", value));
    }

    public string? GetManifest(string key)
    {
        lock (_gate)
        {
            using var cmd = Command("SELECT value FROM manifest WHERE key = $key", ("key", key));
            return cmd.ExecuteScalar() as string;
        }
    }

    /// <summary>Stores configurations (those already stored are left as they were) and registers factors seen for the first time.</summary>
    public void AddConfigurations(IEnumerable<StoredConfiguration> configurations)
    {
        lock (_gate)
        {
            using var tx = _db.BeginTransaction();
            var positions = FactorPositions();
            foreach (var c in configurations)
            {
                InsertOrIgnore("configurations",
                    ("hash", c.Hash), ("model", c.Model), ("model_spec", c.ModelSpec), ("environment", c.Environment), ("instructions", c.Instructions));
                foreach (var (factor, level) in c.Factors)
                {
                    if (!positions.ContainsKey(factor))
                    {
                        if (factor.Length == 0 || ReservedNames.Contains(factor))
                            throw new ToolSharpException($"factor name '{factor}' is not allowed: it is empty or one of the store's columns ({string.Join(", ", ReservedNames)})");
                        positions[factor] = positions.Count;
                        InsertOrIgnore("factors", ("name", factor), ("position", positions[factor]));
                    }
                    InsertOrIgnore("configuration_factors", ("config_hash", c.Hash), ("factor", factor), ("level", level));
                }
            }
            tx.Commit();
        }
    }

    /// <summary>Keys of every stored episode, for skipping finished work on resume.</summary>
    public HashSet<EpisodeKey> CompletedKeys()
    {
        lock (_gate)
        {
            var keys = new HashSet<EpisodeKey>();
            using var cmd = Command("SELECT config_hash, task_id, seed, trial FROM episodes");
            using var r = cmd.ExecuteReader();
            while (r.Read()) keys.Add(new EpisodeKey(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetInt32(3)));
            return keys;
        }
    }

    /// <summary>Stores a finished episode; false when that key was already stored (the row is left as it was).</summary>
    public bool Add(EpisodeKey key, EpisodeRecord e)
    {
        lock (_gate)
        {
            return InsertOrIgnore("episodes",
                ("config_hash", key.ConfigHash), ("task_id", key.TaskId), ("seed", key.Seed), ("trial", key.Trial),
                ("split", e.Split), ("reward", e.Reward), ("correct", e.Correct ? 1 : 0),
                ("expected", e.Expected), ("got", e.Got), ("details", e.Details), ("ending", e.Ending),
                ("turns", e.Turns), ("tool_calls", e.ToolCalls), ("failed_tool_calls", e.FailedToolCalls), ("malformed_calls", e.MalformedCalls),
                ("prompt_tokens", e.PromptTokens), ("completion_tokens", e.CompletionTokens), ("uncached_prompt_tokens", e.UncachedPromptTokens),
                ("tokens_estimated", e.TokensEstimated ? 1 : 0), ("latency_ms", e.LatencyMilliseconds),
                ("steps_json", JsonSerializer.Serialize(e.Steps, StepJson)), ("transcript_json", e.TranscriptJson),
                ("finished_at", DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture))) == 1;
        }
    }

    public int EpisodeCount()
    {
        lock (_gate)
        {
            using var cmd = Command("SELECT COUNT(*) FROM episodes");
            return Convert.ToInt32(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The factor names the store has seen, in display order.</summary>
    public IReadOnlyList<string> FactorNames()
    {
        lock (_gate) return FactorPositions().OrderBy(kv => kv.Value).Select(kv => kv.Key).ToList();
    }

    /// <summary>Every episode with its configuration (steps and transcript left out), in (model, environment,
    /// configuration, task, seed, trial) order, so statistics do not depend on finishing order.</summary>
    public IReadOnlyList<StoredEpisode> Episodes()
    {
        lock (_gate) return Read(trajectories: false, "c.model, c.environment, e.config_hash, e.task_id, e.seed, e.trial").ToList();
    }

    /// <summary>Every episode with its steps and transcript, in export order (configuration, task, seed, trial).</summary>
    public IReadOnlyList<StoredEpisode> EpisodesWithTranscripts()
    {
        lock (_gate) return Read(trajectories: true, ExportOrder).ToList();
    }

    /// <summary>Writes every episode, steps and transcript included, as one JSON object per line (<see cref="EpisodeExport"/>).</summary>
    public void ExportJsonl(TextWriter output)
    {
        lock (_gate) EpisodeExport.WriteJsonl(output, Read(trajectories: true, ExportOrder));
    }

    /// <summary>Writes the episode table (without steps and transcripts) as CSV with a header line (<see cref="EpisodeExport"/>).</summary>
    public void ExportCsv(TextWriter output)
    {
        lock (_gate) EpisodeExport.WriteCsv(output, FactorPositions().OrderBy(kv => kv.Value).Select(kv => kv.Key).ToList(), Read(trajectories: false, ExportOrder));
    }

    private const string ExportOrder = "e.config_hash, e.task_id, e.seed, e.trial";

    private static readonly JsonSerializerOptions StepJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private Dictionary<string, int> FactorPositions()
    {
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        using var cmd = Command("SELECT name, position FROM factors");
        using var r = cmd.ExecuteReader();
        while (r.Read()) positions[r.GetString(0)] = r.GetInt32(1);
        return positions;
    }

    /// <summary>Factor levels of every configuration, each in factor display order.</summary>
    private Dictionary<string, IReadOnlyDictionary<string, string>> ConfigurationFactors()
    {
        var byHash = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        using var cmd = Command("""
            SELECT cf.config_hash, cf.factor, cf.level FROM configuration_factors cf JOIN factors f ON f.name = cf.factor
            ORDER BY cf.config_hash, f.position
            """);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var hash = r.GetString(0);
            if (!byHash.TryGetValue(hash, out var levels)) byHash[hash] = levels = new Dictionary<string, string>(StringComparer.Ordinal);
            ((Dictionary<string, string>)levels)[r.GetString(1)] = r.GetString(2);
        }
        return byHash;
    }

    // Streams rows (callers hold the gate while enumerating) so an export never holds every transcript in memory.
    private IEnumerable<StoredEpisode> Read(bool trajectories, string orderBy)
    {
        var factors = ConfigurationFactors();
        var extra = trajectories ? ", e.steps_json, e.transcript_json" : "";
        using var cmd = Command($"""
            SELECT c.model, c.environment, e.config_hash, e.task_id, e.seed, e.trial, e.split, e.reward, e.correct, e.expected, e.got,
                   e.details, e.ending, e.turns, e.tool_calls, e.failed_tool_calls, e.malformed_calls, e.prompt_tokens, e.completion_tokens,
                   e.uncached_prompt_tokens, e.tokens_estimated, e.latency_ms, e.finished_at{extra}
            FROM episodes e JOIN configurations c ON c.hash = e.config_hash
            ORDER BY {orderBy}
            """);
        using var r = cmd.ExecuteReader();
        var at = Enumerable.Range(0, r.FieldCount).ToDictionary(r.GetName, i => i, StringComparer.Ordinal);
        string? Text(string column) => r.IsDBNull(at[column]) ? null : r.GetString(at[column]);
        while (r.Read())
        {
            var hash = r.GetString(at["config_hash"]);
            yield return new StoredEpisode
            {
                Model = r.GetString(at["model"]),
                Environment = r.GetString(at["environment"]),
                Factors = factors.GetValueOrDefault(hash) ?? new Dictionary<string, string>(),
                ConfigHash = hash,
                TaskId = r.GetString(at["task_id"]),
                Seed = r.GetInt32(at["seed"]),
                Trial = r.GetInt32(at["trial"]),
                Split = r.GetString(at["split"]),
                Reward = r.GetDouble(at["reward"]),
                Correct = r.GetInt64(at["correct"]) != 0,
                Expected = Text("expected"),
                Got = Text("got"),
                Details = Text("details"),
                Ending = r.GetString(at["ending"]),
                Turns = r.GetInt32(at["turns"]),
                ToolCalls = r.GetInt32(at["tool_calls"]),
                FailedToolCalls = r.GetInt32(at["failed_tool_calls"]),
                MalformedCalls = r.GetInt32(at["malformed_calls"]),
                PromptTokens = r.GetInt64(at["prompt_tokens"]),
                CompletionTokens = r.GetInt64(at["completion_tokens"]),
                UncachedPromptTokens = r.GetInt64(at["uncached_prompt_tokens"]),
                TokensEstimated = r.GetInt64(at["tokens_estimated"]) != 0,
                LatencyMilliseconds = r.GetDouble(at["latency_ms"]),
                FinishedAt = r.GetString(at["finished_at"]),
                Steps = trajectories ? JsonDocument.Parse(r.GetString(at["steps_json"])).RootElement.Clone() : null,
                Transcript = trajectories ? JsonDocument.Parse(r.GetString(at["transcript_json"])).RootElement.Clone() : null,
            };
        }
    }

    /// <summary>INSERT OR IGNORE by column name; the number of rows inserted (0 when the key was already there).</summary>
    private int InsertOrIgnore(string table, params (string Column, object? Value)[] values) =>
        Execute($"INSERT OR IGNORE INTO {table}({string.Join(", ", values.Select(v => v.Column))}) VALUES({string.Join(", ", values.Select(v => "$" + v.Column))})", values);

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] args)
    {
        var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue("$" + name, value ?? DBNull.Value);
        return cmd;
    }

    private int Execute(string sql, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(sql, args);
        return cmd.ExecuteNonQuery();
    }

    public void Dispose() => _db.Dispose();
}
