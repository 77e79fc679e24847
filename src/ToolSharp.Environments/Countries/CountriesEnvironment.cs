using System.Globalization;
using ToolSharp.Core.Data;
using ToolSharp.Core.Errors;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Episodes;
using ToolSharp.Environments.Scoring;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Environments.Countries;

/// <summary>
/// <c>countries</c>: single- and multi-hop questions about the world's countries (capitals, currencies, neighbours,
/// languages) answered with <c>lookup_country</c>, <c>search_countries</c> and <c>get_borders</c>; exact answers
/// computed from the data. Difficulty = the number of hops.
/// </summary>
/// <remarks>
/// Questions are split into train and test by <see cref="HashSplit"/>; the seed changes only the order. <c>hops=2-3</c>
/// keeps the multi-hop questions only (two or three dependent tool calls), the multi-turn setting for agentic RL.
/// </remarks>
public sealed class CountriesEnvironment : IEnvironment, IDemonstrationSource
{
    public const string BaseName = "countries";

    public const string Instructions =
        "Answer the question about countries using the tools; their results are JSON. Finish with 'Answer: <answer>'.";

    private readonly CountryData _data;
    private readonly IReadOnlyList<ITool> _tools;
    private readonly Dictionary<string, IReadOnlyList<CountryQuestion>> _splits;

    public const int MaxHops = 3;

    public CountriesEnvironment(string? path = null, int seed = 0, (int Min, int Max)? hops = null)
    {
        var (minHops, maxHops) = hops ?? (1, MaxHops);
        if (minHops < 1 || maxHops > MaxHops || minHops > maxHops)
            throw new ToolSharpException($"countries: hops must lie within 1-{MaxHops}, found {minHops}-{maxHops}");
        _data = CountryData.Load(path ?? ToolSharpData.PathTo(CountryData.DataFile));
        _tools = CountryTools.Create(_data);
        Seed = seed;
        Hops = (minHops, maxHops);
        var suffix = new List<string>();
        if (Hops != (1, MaxHops)) suffix.Add(minHops == maxHops ? $"hops={minHops}" : $"hops={minHops}-{maxHops}");
        if (seed != 0) suffix.Add("seed=" + seed.ToString(CultureInfo.InvariantCulture));
        Name = BaseName + (suffix.Count == 0 ? "" : ":" + string.Join(",", suffix));
        var questions = CountryQuestions.All(_data).Where(q => q.Hops >= minHops && q.Hops <= maxHops).ToList();
        _splits = HashSplit.Partition(questions, q => q.Key, seed);
    }

    public int Seed { get; }

    /// <summary>The range of question hops (= tool calls a solution needs) this environment asks.</summary>
    public (int Min, int Max) Hops { get; }

    public string Name { get; }

    public string Version => "1";

    public string Description => "Single- and multi-hop questions about countries answered with lookup/search/borders tools; exact answers.";

    public string DefaultInstructions => Instructions;

    public IReadOnlyList<ToolSpec> ToolSpecs => CountryTools.Specs;

    public IReadOnlyList<string> Splits { get; } = ["train", "test"];

    public int? TaskCount(string split)
    {
        TaskSampling.RequireSplit(this, split);
        return _splits[split].Count;
    }

    /// <summary>The question behind a task.</summary>
    public CountryQuestion Question(string split, int index)
    {
        TaskIds.RequireIndex(this, split, index);
        return _splits[split][index];
    }

    public EnvironmentTask GetTask(string split, int index)
    {
        var q = Question(split, index);
        var data = JsonValues.Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("template", q.Template);
            w.WriteStartArray("accepted");
            foreach (var a in q.Accepted) w.WriteStringValue(a);
            w.WriteEndArray();
            w.WriteBoolean("numeric", q.Numeric);
            w.WriteEndObject();
        });
        return new EnvironmentTask(TaskIds.Format(split, index), split, index, [q.Text], q.Answer, q.Hops, data);
    }

    public EnvironmentTask? FindTask(string id) => TaskIds.Find(this, id);

    public Episode CreateEpisode(EnvironmentTask task, ToolExecutionOptions? options = null) =>
        new(task, new ToolRegistry(_tools), ReferenceAnswerScorer.Instance, Instructions, options);

    /// <summary>One tool call per hop with the real outputs, then <c>Answer: …</c> (see <see cref="CountryDemonstrations"/>).</summary>
    public Conversation Demonstration(EnvironmentTask task, string? instructions = null) =>
        Demonstrations.Build(instructions ?? Instructions, ToolSpecs, CountryDemonstrations.Solve(_data, Question(task.Split, task.Index)));
}
