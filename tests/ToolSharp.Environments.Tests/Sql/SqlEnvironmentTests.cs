using System.Text.Json;
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

    private static SqlQueryTool Tool(int maxRows = 50, int timeoutMs = 2000) =>
        new(CountriesDatabase.For(CountryData.Load(SharedData.Path(Data))), maxRows, TimeSpan.FromMilliseconds(timeoutMs));

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
        Should.Throw<ToolInvocationException>(() => Tool(timeoutMs: 100).Run("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c) SELECT COUNT(*) FROM c"))
            .Message.ShouldBe("query interrupted after 0.1 s (time limit)");
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
