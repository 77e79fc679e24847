using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ToolSharp.Core.Errors;
using ToolSharp.Evaluation.Agent;
using ToolSharp.Evaluation.Sweeps;

namespace ToolSharp.Evaluation.Store;

/// <summary>The SQLite results database: one row per finished episode keyed by (configuration hash, task, seed, trial),
/// the configurations with their factor levels, and the run manifest. Plain SQL can query it.</summary>
/// <remarks>
/// Each episode is committed on its own as soon as it finishes (WAL journal, synchronous=NORMAL), so a killed sweep
/// loses at most the episodes in flight; <c>INSERT OR IGNORE</c> on the primary key means a resumed sweep can never
/// store an episode twice. Writes are serialised through one connection.
/// </remarks>
public sealed class ResultsStore : IDisposable
{
    private readonly SqliteConnection _db;
    private readonly Lock _gate = new();

    private const string Schema = """
        PRAGMA journal_mode=WAL;
        PRAGMA synchronous=NORMAL;
        CREATE TABLE IF NOT EXISTS manifest(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS configurations(
            hash TEXT PRIMARY KEY, model TEXT NOT NULL, model_spec TEXT NOT NULL, environment TEXT NOT NULL,
            system_prompt TEXT NOT NULL, template TEXT NOT NULL, history TEXT NOT NULL, format TEXT NOT NULL,
            temperature TEXT NOT NULL, top_p TEXT NOT NULL, instructions TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS episodes(
            config_hash TEXT NOT NULL, task_id TEXT NOT NULL, seed INTEGER NOT NULL, trial INTEGER NOT NULL,
            split TEXT NOT NULL, reward REAL NOT NULL, correct INTEGER NOT NULL, expected TEXT, got TEXT, details TEXT,
            ending TEXT NOT NULL, turns INTEGER NOT NULL, tool_calls INTEGER NOT NULL, failed_tool_calls INTEGER NOT NULL,
            malformed_calls INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
            uncached_prompt_tokens INTEGER NOT NULL, tokens_estimated INTEGER NOT NULL, latency_ms REAL NOT NULL,
            steps_json TEXT NOT NULL, transcript_json TEXT NOT NULL, finished_at TEXT NOT NULL,
            PRIMARY KEY(config_hash, task_id, seed, trial));
        """;

    private ResultsStore(SqliteConnection db, string path)
    {
        _db = db;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Opens (creating if needed) a results database.</summary>
    public static ResultsStore Open(string path, bool mustExist = false)
    {
        if (mustExist && !File.Exists(path)) throw new ToolSharpException($"results database not found: {path}");
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = Schema;
            cmd.ExecuteNonQuery();
        }
        catch (SqliteException ex)
        {
            db.Dispose();
            throw new ToolSharpException($"{path}: not a usable results database ({ex.Message})", ex);
        }
        return new ResultsStore(db, path);
    }

    public void SetManifest(string key, string value)
    {
        lock (_gate) Execute("INSERT INTO manifest(key, value) VALUES($k, $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value", ("$k", key), ("$v", value));
    }

    public string? GetManifest(string key)
    {
        lock (_gate)
        {
            using var cmd = Command("SELECT value FROM manifest WHERE key = $k", ("$k", key));
            return cmd.ExecuteScalar() as string;
        }
    }

    public void AddConfigurations(IEnumerable<SweepConfiguration> configurations)
    {
        lock (_gate)
        {
            using var tx = _db.BeginTransaction();
            foreach (var c in configurations)
            {
                Execute("""
                    INSERT OR IGNORE INTO configurations(hash, model, model_spec, environment, system_prompt, template, history, format, temperature, top_p, instructions)
                    VALUES($h, $m, $ms, $e, $sp, $t, $hi, $f, $temp, $p, $i)
                    """,
                    ("$h", c.Hash), ("$m", c.Model.Label), ("$ms", c.Model.Spec), ("$e", c.Environment.Label), ("$sp", c.Setting.SystemPrompt.Name),
                    ("$t", c.Setting.Template), ("$hi", c.Setting.History), ("$f", c.Setting.Format), ("$temp", c.Setting.Level("temperature")),
                    ("$p", c.Setting.Level("top_p")), ("$i", c.Instructions));
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
            return Execute("""
                INSERT OR IGNORE INTO episodes VALUES($c, $t, $s, $tr, $split, $reward, $correct, $exp, $got, $det, $end, $turns, $calls, $failed,
                    $malformed, $pt, $ct, $upt, $est, $lat, $steps, $tx, $at)
                """,
                ("$c", key.ConfigHash), ("$t", key.TaskId), ("$s", key.Seed), ("$tr", key.Trial), ("$split", e.Split), ("$reward", e.Reward),
                ("$correct", e.Correct ? 1 : 0), ("$exp", e.Expected), ("$got", e.Got), ("$det", e.Details), ("$end", e.Ending), ("$turns", e.Turns),
                ("$calls", e.ToolCalls), ("$failed", e.FailedToolCalls), ("$malformed", e.MalformedCalls), ("$pt", e.PromptTokens),
                ("$ct", e.CompletionTokens), ("$upt", e.UncachedPromptTokens), ("$est", e.TokensEstimated ? 1 : 0), ("$lat", e.LatencyMilliseconds),
                ("$steps", JsonSerializer.Serialize(e.Steps, JsonOptions)), ("$tx", e.TranscriptJson),
                ("$at", DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture))) == 1;
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

    /// <summary>Every episode joined with its configuration, in key order (so statistics do not depend on finishing order).</summary>
    public IReadOnlyList<StoredEpisode> Episodes()
    {
        lock (_gate)
        {
            using var cmd = Command("""
                SELECT e.config_hash, c.model, c.environment, c.system_prompt, c.template, c.history, c.format, c.temperature, c.top_p,
                       e.task_id, e.seed, e.trial, e.reward, e.correct, e.ending, e.turns, e.tool_calls, e.failed_tool_calls, e.malformed_calls,
                       e.prompt_tokens, e.completion_tokens, e.uncached_prompt_tokens, e.latency_ms, e.split
                FROM episodes e JOIN configurations c ON c.hash = e.config_hash
                ORDER BY c.model, c.environment, e.config_hash, e.task_id, e.seed, e.trial
                """);
            using var r = cmd.ExecuteReader();
            var list = new List<StoredEpisode>();
            while (r.Read())
            {
                list.Add(new StoredEpisode
                {
                    ConfigHash = r.GetString(0),
                    Model = r.GetString(1),
                    Environment = r.GetString(2),
                    Factors = new Dictionary<string, string>
                    {
                        ["system_prompt"] = r.GetString(3), ["template"] = r.GetString(4), ["history"] = r.GetString(5),
                        ["format"] = r.GetString(6), ["temperature"] = r.GetString(7), ["top_p"] = r.GetString(8),
                    },
                    TaskId = r.GetString(9),
                    Seed = r.GetInt32(10),
                    Trial = r.GetInt32(11),
                    Reward = r.GetDouble(12),
                    Correct = r.GetInt32(13) != 0,
                    Ending = r.GetString(14),
                    Turns = r.GetInt32(15),
                    ToolCalls = r.GetInt32(16),
                    FailedToolCalls = r.GetInt32(17),
                    MalformedCalls = r.GetInt32(18),
                    PromptTokens = r.GetInt64(19),
                    CompletionTokens = r.GetInt64(20),
                    UncachedPromptTokens = r.GetInt64(21),
                    LatencyMilliseconds = r.GetDouble(22),
                    Split = r.GetString(23),
                });
            }
            return list;
        }
    }

    /// <summary>Writes every episode row (steps and transcript included) as JSON lines.</summary>
    public void ExportJsonl(TextWriter output) => Export(output, json: true);

    /// <summary>Writes the episode table (without steps and transcripts) as CSV with a header line.</summary>
    public void ExportCsv(TextWriter output) => Export(output, json: false);

    private void Export(TextWriter output, bool json)
    {
        lock (_gate)
        {
            using var cmd = Command("""
                SELECT c.model, c.environment, c.system_prompt, c.template, c.history, c.format, c.temperature, c.top_p, e.*
                FROM episodes e JOIN configurations c ON c.hash = e.config_hash ORDER BY e.config_hash, e.task_id, e.seed, e.trial
                """);
            using var r = cmd.ExecuteReader();
            var names = Enumerable.Range(0, r.FieldCount).Select(r.GetName).ToList();
            var skip = json ? [] : new HashSet<string> { "steps_json", "transcript_json" };
            if (!json) output.WriteLine(string.Join(",", names.Where(n => !skip.Contains(n))));
            while (r.Read())
            {
                if (json)
                {
                    using var stream = new MemoryStream();
                    using (var w = new Utf8JsonWriter(stream))
                    {
                        w.WriteStartObject();
                        for (var i = 0; i < names.Count; i++)
                        {
                            var name = names[i];
                            if (r.IsDBNull(i)) { w.WriteNull(name); continue; }
                            var v = r.GetValue(i);
                            if (name.EndsWith("_json", StringComparison.Ordinal)) { w.WritePropertyName(name[..^5]); w.WriteRawValue((string)v); }
                            else if (v is long l) w.WriteNumber(name, l);
                            else if (v is double d) w.WriteNumber(name, d);
                            else w.WriteString(name, Convert.ToString(v, CultureInfo.InvariantCulture));
                        }
                        w.WriteEndObject();
                    }
                    output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
                }
                else
                {
                    var cells = new List<string>();
                    for (var i = 0; i < names.Count; i++)
                        if (!skip.Contains(names[i])) cells.Add(Csv(r.IsDBNull(i) ? "" : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture) ?? ""));
                    output.WriteLine(string.Join(",", cells));
                }
            }
        }
    }

    private static string Csv(string s) => s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] args)
    {
        var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    private int Execute(string sql, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(sql, args);
        return cmd.ExecuteNonQuery();
    }

    public void Dispose() => _db.Dispose();
}
