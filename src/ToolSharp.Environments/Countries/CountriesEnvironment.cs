using System.Globalization;
using ToolSharp.Core.Data;
using ToolSharp.Core.Json;
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
/// <remarks>Questions are split into train and test by <see cref="HashSplit"/>; the seed changes only the order.</remarks>
public sealed class CountriesEnvironment : IEnvironment
{
    public const string BaseName = "countries";

    public const string Instructions =
        "Answer the question about countries using the tools; their results are JSON. Finish with 'Answer: <answer>'.";

    private readonly CountryData _data;
    private readonly IReadOnlyList<ITool> _tools;
    private readonly Dictionary<string, IReadOnlyList<CountryQuestion>> _splits;

    public CountriesEnvironment(string? path = null, int seed = 0)
    {
        _data = CountryData.Load(path ?? ToolSharpData.PathTo(CountryData.DataFile));
        _tools = CountryTools.Create(_data);
        Seed = seed;
        Name = BaseName + (seed == 0 ? "" : ":seed=" + seed.ToString(CultureInfo.InvariantCulture));
        _splits = HashSplit.Partition(CountryQuestions.All(_data), q => q.Key, seed);
    }

    public int Seed { get; }

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
}
