using System.Globalization;
using System.Text.Json.Nodes;
using ToolSharp.Core.Errors;
using ToolSharp.Evaluation.Agent;
using ToolSharp.Evaluation.Reports;
using ToolSharp.Evaluation.Store;
using ToolSharp.Testing;

namespace ToolSharp.Evaluation.Tests.Store;

public class ResultsStoreSchemaTests
{
    private static readonly string[] V1Factors = ["system_prompt", "template", "history", "format", "temperature", "top_p"];

    private static string V1Database(TempDirectory dir)
    {
        var path = dir.File("v1.db");
        V1Fixture.CreateDatabase(path);
        return path;
    }

    private static long UserVersion(string path) => (long)V1Fixture.Query(path, "PRAGMA user_version")[0]["user_version"]!;

    [Fact]
    public void A_v1_database_is_migrated_and_keeps_every_episode_and_factor_level()
    {
        using var dir = new TempDirectory();
        var path = V1Database(dir);
        UserVersion(path).ShouldBe(0);
        var configurations = V1Fixture.Query(path, "SELECT * FROM configurations").ToDictionary(r => (string)r["hash"]!);
        var episodes = V1Fixture.Query(path, "SELECT * FROM episodes");
        episodes.Count.ShouldBe(64);
        configurations.Count.ShouldBe(16);

        using var store = ResultsStore.Open(path);
        UserVersion(path).ShouldBe(ResultsStore.SchemaVersion);
        store.FactorNames().ShouldBe(V1Factors);
        var migrated = store.Episodes().ToDictionary(e => new EpisodeKey(e.ConfigHash, e.TaskId, e.Seed, e.Trial));
        migrated.Count.ShouldBe(episodes.Count);
        foreach (var v1 in episodes)
        {
            var e = migrated[new EpisodeKey((string)v1["config_hash"]!, (string)v1["task_id"]!, (int)(long)v1["seed"]!, (int)(long)v1["trial"]!)];
            var c = configurations[e.ConfigHash];
            e.Model.ShouldBe(c["model"]);
            e.Environment.ShouldBe(c["environment"]);
            e.Factors.Keys.ShouldBe(V1Factors);
            foreach (var f in V1Factors) e.Factors[f].ShouldBe(c[f]);
            e.Split.ShouldBe(v1["split"]);
            e.Reward.ShouldBe((double)v1["reward"]!);
            e.Correct.ShouldBe((long)v1["correct"]! == 1);
            e.Expected.ShouldBe(v1["expected"]);
            e.Got.ShouldBe(v1["got"]);
            e.Details.ShouldBe(v1["details"]);
            e.Ending.ShouldBe(v1["ending"]);
            e.Turns.ShouldBe((int)(long)v1["turns"]!);
            e.ToolCalls.ShouldBe((int)(long)v1["tool_calls"]!);
            e.FailedToolCalls.ShouldBe((int)(long)v1["failed_tool_calls"]!);
            e.MalformedCalls.ShouldBe((int)(long)v1["malformed_calls"]!);
            e.PromptTokens.ShouldBe((long)v1["prompt_tokens"]!);
            e.CompletionTokens.ShouldBe((long)v1["completion_tokens"]!);
            e.UncachedPromptTokens.ShouldBe((long)v1["uncached_prompt_tokens"]!);
            e.TokensEstimated.ShouldBe((long)v1["tokens_estimated"]! == 1);
            e.LatencyMilliseconds.ShouldBe((double)v1["latency_ms"]!);
            e.FinishedAt.ShouldBe(v1["finished_at"]);
        }
        // The configurations keep their other columns; the manifest is untouched.
        var after = V1Fixture.Query(path, "SELECT * FROM configurations").ToDictionary(r => (string)r["hash"]!);
        after.Keys.ShouldBe(configurations.Keys, ignoreOrder: true);
        foreach (var (hash, row) in after)
        {
            row.Keys.ShouldBe(["hash", "model", "model_spec", "environment", "instructions"]);
            foreach (var column in row.Keys) row[column].ShouldBe(configurations[hash][column]);
        }
        store.GetManifest("sweep").ShouldBe("v1-fixture");
        store.GetManifest("manifest")!.ShouldStartWith("{\"name\":\"v1-fixture\"");
    }

    [Fact]
    public void A_migrated_v1_database_reports_and_exports_exactly_what_v1_did()
    {
        using var dir = new TempDirectory();
        using var store = ResultsStore.Open(V1Database(dir));

        var summary = SweepSummary.Build("v1-fixture", store.Episodes(), new SummaryOptions { PricePerMillion = (0.15, 0.6) });
        // Every field the v1 summary had is unchanged; fields added since (the study's standard scores and factor
        // swings) may follow them.
        var now = System.Text.Json.Nodes.JsonNode.Parse(summary.ToJson())!.AsObject();
        var then = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(V1Fixture.File("results-v1.summary.json")))!.AsObject();
        foreach (var (key, value) in then)
            (now[key]?.ToJsonString() ?? "null").ShouldBe(value?.ToJsonString() ?? "null", key);
        now.Select(kv => kv.Key).Take(then.Count).ShouldBe(then.Select(kv => kv.Key));

        var csv = new StringWriter();
        store.ExportCsv(csv);
        csv.ToString().ShouldBe(File.ReadAllText(V1Fixture.File("results-v1.csv")));

        var jsonl = new StringWriter();
        store.ExportJsonl(jsonl);
        var lines = jsonl.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var expected = File.ReadAllLines(V1Fixture.File("results-v1.jsonl"));
        lines.Length.ShouldBe(expected.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var (got, want) = (JsonNode.Parse(lines[i])!.AsObject(), JsonNode.Parse(expected[i])!.AsObject());
            got.Select(kv => kv.Key).ShouldBe(want.Select(kv => kv.Key), $"line {i + 1}: the same keys in the same order");
            JsonNode.DeepEquals(got, want).ShouldBeTrue($"line {i + 1}");
        }
    }

    [Fact]
    public void A_new_database_has_the_schema_of_a_migrated_one()
    {
        using var dir = new TempDirectory();
        var migrated = V1Database(dir);
        ResultsStore.Open(migrated).Dispose();
        var fresh = dir.File("new.db");
        ResultsStore.Open(fresh).Dispose();

        static string Schema(string path) => string.Join("\n", V1Fixture.Query(path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .Select(t => (string)t["name"]!)
            .SelectMany(t => V1Fixture.Query(path, $"PRAGMA table_info({t})").Select(c => $"{t}.{c["name"]} {c["type"]} notnull={c["notnull"]} pk={c["pk"]}")));
        Schema(fresh).ShouldBe(Schema(migrated));
        Schema(fresh).ShouldContain("configuration_factors.level TEXT notnull=1 pk=0");
        UserVersion(fresh).ShouldBe(ResultsStore.SchemaVersion);
    }

    [Fact]
    public void Opening_a_current_database_again_changes_nothing()
    {
        using var dir = new TempDirectory();
        var path = V1Database(dir);
        ResultsStore.Open(path).Dispose();
        using var store = ResultsStore.Open(path);
        store.EpisodeCount().ShouldBe(64);
        store.FactorNames().ShouldBe(V1Factors);
    }

    [Fact]
    public void A_database_from_a_newer_toolsharp_fails_with_one_line_and_is_left_alone()
    {
        using var dir = new TempDirectory();
        var path = dir.File("future.db");
        ResultsStore.Open(path).Dispose();
        V1Fixture.Query(path, "PRAGMA user_version = 7");

        var ex = Should.Throw<ToolSharpException>(() => ResultsStore.Open(path));
        ex.Message.ShouldBe($"{path}: results database schema version 7 is newer than this ToolSharp reads (up to {ResultsStore.SchemaVersion}); open it with a newer toolsharp");
        UserVersion(path).ShouldBe(7);
    }

    [Fact]
    public void Another_programs_sqlite_database_is_refused_and_left_alone()
    {
        using var dir = new TempDirectory();
        var path = dir.File("other.db");
        V1Fixture.Query(path, "CREATE TABLE notes(text TEXT)");

        Should.Throw<ToolSharpException>(() => ResultsStore.Open(path)).Message.ShouldBe($"{path}: not a ToolSharp results database (its tables: notes)");
        V1Fixture.Query(path, "SELECT name FROM sqlite_master").Select(r => r["name"]).ShouldBe(["notes"]);
    }

    private static EpisodeRecord Episode(string task, bool correct) => new()
    {
        TaskId = task, Split = "test", Reward = correct ? 1 : 0, Correct = correct, Expected = "4", Got = correct ? "4" : "5", Ending = "answer",
        Turns = 2, ToolCalls = 1, PromptTokens = 100, CompletionTokens = 10, UncachedPromptTokens = 90, LatencyMilliseconds = 1.5, TranscriptJson = "{\"messages\":[]}",
    };

    [Fact]
    public void A_factor_no_configuration_had_before_is_stored_read_and_exported_without_a_schema_change()
    {
        using var dir = new TempDirectory();
        using var store = ResultsStore.Open(V1Database(dir));
        var factors = V1Factors.ToDictionary(f => f, f => f == "temperature" ? "0" : "x");
        factors["context_budget"] = "512";
        store.AddConfigurations([new StoredConfiguration("feedfacefeedface", "m", "openai:http://h/v1#m", "arith/test", "Be brief.", factors)]);
        store.Add(new EpisodeKey("feedfacefeedface", "t1", 0, 0), Episode("t1", correct: true)).ShouldBeTrue();
        store.Add(new EpisodeKey("feedfacefeedface", "t1", 0, 0), Episode("t1", correct: false)).ShouldBeFalse();

        store.FactorNames().ShouldBe([.. V1Factors, "context_budget"]);
        var e = store.Episodes().Single(x => x.ConfigHash == "feedfacefeedface");
        e.Factors["context_budget"].ShouldBe("512");
        e.Correct.ShouldBeTrue();
        var csv = new StringWriter();
        store.ExportCsv(csv);
        var lines = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("model,environment,system_prompt,template,history,format,temperature,top_p,context_budget,config_hash,");
        lines.Single(l => l.Contains("feedfacefeedface")).ShouldStartWith("m,arith/test,x,x,x,x,0,x,512,feedfacefeedface,t1,0,0,test,1,1,4,4,");
        // A v1 configuration has no level for the new factor: its cell is empty.
        lines.First(l => l.Contains(",d9b891d430b5cd0c,")).ShouldStartWith("strong,arith:levels=1/test,default,native,keep,native,0,1,,d9b891d430b5cd0c,test/");
    }

    [Theory]
    [InlineData("seed")]
    [InlineData("task")]
    [InlineData("correct")]
    [InlineData("")]
    public void A_factor_may_not_take_a_column_name(string name)
    {
        using var dir = new TempDirectory();
        using var store = ResultsStore.Open(dir.File("r.db"));
        var ex = Should.Throw<ToolSharpException>(() => store.AddConfigurations([
            new StoredConfiguration("h", "m", "openai:http://h/v1#m", "arith/test", "", new Dictionary<string, string> { [name] = "1" })]));
        ex.Message.ShouldStartWith($"factor name '{name}' is not allowed");
        store.FactorNames().ShouldBeEmpty();
    }
}
