using ToolSharp.Core.Data;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Countries;
using ToolSharp.Environments.Episodes;
using ToolSharp.Environments.Scoring;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Environments.Sql;

/// <summary>
/// <c>sql</c>: questions about the countries database answered by querying it with the read-only <c>run_sql</c> tool.
/// Each answer is checked against the result of the task's reference query, run when the episode is scored.
/// </summary>
public sealed class SqlEnvironment : IEnvironment
{
    public const string BaseName = "sql";

    public const string Instructions =
        "Answer the question by querying the SQLite database with run_sql (read-only). Finish with 'Answer: <answer>'.";

    private readonly CountriesDatabase _database;
    private readonly SqlQueryTool _tool;
    private readonly Dictionary<string, IReadOnlyList<(SqlQuestion Question, string Answer)>> _splits;

    public SqlEnvironment(string? countriesPath = null)
    {
        _database = CountriesDatabase.For(CountryData.Load(countriesPath ?? ToolSharpData.PathTo(CountryData.DataFile)));
        _tool = new SqlQueryTool(_database);
        using var db = _database.OpenReadOnly();
        var all = SqlQuestions.All(_database).Select(q => (q, SqlQuestions.Answer(db, q.ReferenceSql)!));
        _splits = HashSplit.Partition(all, x => x.q.Key);
    }

    public string Name => BaseName;

    public string Version => "1";

    public string Description => "Questions about a SQLite countries database answered with a read-only run_sql tool; checked by a reference query.";

    public string DefaultInstructions => Instructions;

    public IReadOnlyList<ToolSpec> ToolSpecs { get; } = [SqlQueryTool.DefaultSpec];

    public IReadOnlyList<string> Splits { get; } = ["train", "test"];

    public int? TaskCount(string split)
    {
        TaskSampling.RequireSplit(this, split);
        return _splits[split].Count;
    }

    public SqlQuestion Question(string split, int index)
    {
        TaskIds.RequireIndex(this, split, index);
        return _splits[split][index].Question;
    }

    public EnvironmentTask GetTask(string split, int index)
    {
        TaskIds.RequireIndex(this, split, index);
        var (q, answer) = _splits[split][index];
        var data = JsonValues.Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("template", q.Template);
            w.WriteString("reference_sql", q.ReferenceSql);
            w.WriteBoolean("numeric", q.Numeric);
            w.WriteEndObject();
        });
        return new EnvironmentTask(TaskIds.Format(split, index), split, index, [q.Text], answer, q.Difficulty, data);
    }

    public EnvironmentTask? FindTask(string id) => TaskIds.Find(this, id);

    public Episode CreateEpisode(EnvironmentTask task, ToolExecutionOptions? options = null) =>
        new(task, new ToolRegistry([_tool]), new ReferenceQueryScorer(_database), Instructions, options);

    /// <summary>Runs the task's reference query on a read-only connection and scores the final answer against its value.</summary>
    private sealed class ReferenceQueryScorer(CountriesDatabase database) : IEpisodeScorer
    {
        public EpisodeScore Score(EnvironmentTask task, Conversation transcript)
        {
            using var db = database.OpenReadOnly();
            var expected = SqlQuestions.Answer(db, task.Data.GetProperty("reference_sql").GetString()!) ?? "";
            return ReferenceAnswerScorer.Score(expected, [expected], task.Data.GetProperty("numeric").GetBoolean(), transcript);
        }
    }
}
