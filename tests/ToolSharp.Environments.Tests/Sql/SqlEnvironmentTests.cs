using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Countries;
using ToolSharp.Environments.Sql;
using ToolSharp.Environments.Tools;
using ToolSharp.Testing;

namespace ToolSharp.Environments.Tests.Sql;

public class SqlEnvironmentTests
{
    private const string Data = CountryData.DataFile;

    private const string Runaway = "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c) SELECT COUNT(*) FROM c";

    /// <summary>The tool on a fake clock (by default one that stands still).</summary>
    private static SqlQueryTool Tool(int maxRows = 50, TimeSpan? timeout = null, FakeTimeProvider? clock = null) =>
        new(CountriesDatabase.For(CountryData.Load(SharedData.Path(Data))), maxRows, timeout ?? TimeSpan.FromSeconds(2), clock ?? new FakeTimeProvider());

    /// <summary>A clock that moves on by <paramref name="tick"/> at every reading (the tool reads it once per 1000 SQLite
    /// VM steps), so elapsed "time" is a deterministic count of work done.</summary>
    private static FakeTimeProvider Ticking(TimeSpan tick) => new() { AutoAdvanceAmount = tick };

    [RequiresDataFact(Data)]
    public void Queries_return_columns_and_rows_as_json()
    {
        Tool().Run("SELECT name, area FROM countries WHERE region = 'Europe' ORDER BY area DESC LIMIT 2")
            .ShouldBe("""{"columns":["name","area"],"rows":[["Russia",17098242],["Ukraine",603500]],"truncated":false}""");
        Tool().Run("SELECT subregion FROM countries WHERE code = 'ATA'").ShouldBe("""{"columns":["subregion"],"rows":[[null]],"truncated":false}""");
    }

    [RequiresDataFact(Data)]
    public void Rows_are_capped_and_the_cut_is_flagged()
    {
        var json = JsonDocument.Parse(Tool(maxRows: 5).Run("SELECT name FROM countries")).RootElement;
        json.GetProperty("rows").GetArrayLength().ShouldBe(5);
        json.GetProperty("truncated").GetBoolean().ShouldBeTrue();
    }

    [RequiresDataTheory(Data)]
    [InlineData("DELETE FROM countries", "only read-only SELECT queries are allowed")]
    [InlineData("UPDATE countries SET area = 0", "only read-only SELECT queries are allowed")]
    [InlineData("CREATE TABLE t (x)", "only read-only SELECT queries are allowed")]
    [InlineData("PRAGMA query_only = 0", "only read-only SELECT queries are allowed")]
    [InlineData("ATTACH DATABASE '/tmp/toolsharp-attack.db' AS x", "only read-only SELECT queries are allowed")]
    [InlineData("SELECT 1; DELETE FROM countries", "only read-only SELECT queries are allowed")]
    [InlineData("SELECT 1; SELECT 2", "send one statement per call (found more after the first ';')")]
    [InlineData("SELECT * FROM nope", "no such table: nope")]
    [InlineData("SELECT zeroblob(100000000)", "string or blob too big")]
    [InlineData("   ", "the query is empty")]
    [InlineData("-- only a comment", "the query holds no statement")]
    public void Anything_but_one_read_only_select_is_refused(string query, string message)
    {
        Should.Throw<ToolInvocationException>(() => Tool().Run(query)).Message.ShouldBe(message);
        Tool().Run("SELECT COUNT(*) FROM countries").ShouldContain("[[250]]"); // and nothing changed
        File.Exists("/tmp/toolsharp-attack.db").ShouldBeFalse();
    }

    [RequiresDataFact(Data)]
    public void Runaway_queries_are_interrupted_at_the_time_limit()
    {
        var clock = Ticking(TimeSpan.FromSeconds(1));
        var start = clock.GetUtcNow() + TimeSpan.FromSeconds(1);
        Should.Throw<ToolInvocationException>(() => Tool(timeout: TimeSpan.FromSeconds(10), clock: clock).Run(Runaway))
            .Message.ShouldBe("query interrupted after 10 s (time limit)");
        // Read once at the start, then at every progress call until more than 10 s had passed: the 11th stopped it.
        clock.GetUtcNow().ShouldBe(start + TimeSpan.FromSeconds(12));
    }

    [RequiresDataFact(Data)]
    public void A_query_within_the_limit_is_not_interrupted()
    {
        var clock = Ticking(TimeSpan.FromMilliseconds(1));
        var start = clock.GetUtcNow();
        Tool(maxRows: 300, clock: clock).Run("SELECT name FROM countries ORDER BY area DESC").ShouldContain("\"truncated\":false");
        // The scan and sort took progress calls, each a clock reading, yet stayed inside the 2 s limit.
        (clock.GetUtcNow() - start).ShouldBeInRange(TimeSpan.FromMilliseconds(3), TimeSpan.FromSeconds(1));
    }

    [RequiresDataFact(Data)]
    public void Cancellation_interrupts_a_runaway_query()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        // The clock stands still, so only the token can stop it.
        Should.Throw<OperationCanceledException>(() => Tool().Run(Runaway, cancel.Token));
    }

    [RequiresDataFact(Data)]
    public void A_trailing_semicolon_or_comment_is_fine()
    {
        Tool().Run("SELECT 1; -- done\n").ShouldContain("[[1]]");
    }

    [RequiresDataFact(Data)]
    public async Task Every_question_is_answered_by_its_reference_query_through_the_tool()
    {
        var env = new SqlEnvironment();
        env.TaskCount("train").ShouldBe(262);
        env.TaskCount("test").ShouldBe(59);
        foreach (var split in env.Splits)
        {
            for (var i = 0; i < env.TaskCount(split); i++)
            {
                var task = env.GetTask(split, i);
                var episode = env.CreateEpisode(task);
                var result = await episode.ExecuteAsync(ToolCall.FromJson("run_sql", JsonSerializer.Serialize(new { query = env.Question(split, i).ReferenceSql })));
                var value = JsonDocument.Parse(result.Content).RootElement.GetProperty("rows")[0][0];
                var answer = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
                var right = episode.Score(episode.Start().Append(Message.Assistant($"Answer: {answer}")));
                right.Correct.ShouldBeTrue($"{task.Id}: {task.Question} tool={answer} expected={task.ExpectedAnswer}");
                episode.Score(episode.Start().Append(Message.Assistant("Answer: 123456789"))).Correct.ShouldBeFalse(task.Id);
            }
        }
    }

    [RequiresDataFact(Data)]
    public async Task Parallel_episodes_do_not_interfere()
    {
        var env = new SqlEnvironment();
        var tasks = Enumerable.Range(0, 32).Select(i => env.GetTask("train", i)).ToList();
        var results = await Task.WhenAll(tasks.Select(async task =>
        {
            var episode = env.CreateEpisode(task);
            var r = await episode.ExecuteAsync(ToolCall.FromJson("run_sql", JsonSerializer.Serialize(new { query = env.Question("train", task.Index).ReferenceSql })));
            return (task, r);
        }));
        foreach (var (task, r) in results)
        {
            r.IsError.ShouldBeFalse(r.Content);
            var value = JsonDocument.Parse(r.Content).RootElement.GetProperty("rows")[0][0];
            (value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()).ShouldBe(task.ExpectedAnswer);
        }
    }
}
