using System.Globalization;
using ToolSharp.Core.Hashing;
using ToolSharp.Evaluation.Statistics;
using ToolSharp.Evaluation.Store;

namespace ToolSharp.Evaluation.Reports;

/// <summary>Everything a report shows, computed from stored episodes: per-configuration results, per-model results,
/// factor effects, variance shares and ranking stability.</summary>
/// <remarks>Computed from the episodes in key order with seeded resampling, so the same database always gives the
/// same numbers, however the sweep was interrupted and resumed.</remarks>
public sealed record SweepSummary
{
    public required string Name { get; init; }
    public int Episodes { get; init; }
    public required IReadOnlyList<ConfigurationSummary> Configurations { get; init; }
    public required IReadOnlyList<ModelSummary> Models { get; init; }
    public required IReadOnlyList<FactorEffect> Effects { get; init; }
    public required IReadOnlyList<VarianceShare> VarianceShares { get; init; }
    public required RankingReport Ranking { get; init; }
    /// <summary>Per factor varied in the sweep (seed included) and model: the swing of the model's score over the factor's levels.</summary>
    public required IReadOnlyList<FactorSwing> Swings { get; init; }
    /// <summary>Per model: accuracy under <see cref="SummaryOptions.Standard"/>; empty when it is unknown or was not run.</summary>
    public required IReadOnlyList<StandardScore> Standard { get; init; }
    public required SummaryOptions Options { get; init; }

    /// <summary>The factors of the stored configurations, in the store's display order.</summary>
    public required IReadOnlyList<string> FactorNames { get; init; }

    public static SweepSummary Build(string name, IReadOnlyList<StoredEpisode> episodes, SummaryOptions? options = null)
    {
        options ??= new SummaryOptions();
        var configs = episodes.GroupBy(e => e.ConfigHash).Select(g => Configuration(g.ToList(), options)).OrderBy(c => c.Model, StringComparer.Ordinal)
            .ThenBy(c => c.SettingLabel, StringComparer.Ordinal).ToList();

        var models = episodes.GroupBy(e => e.Model).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var list = g.ToList();
            var byEnv = list.GroupBy(e => e.Environment).OrderBy(x => x.Key, StringComparer.Ordinal).ToDictionary(x => x.Key, x => x.Average(e => e.Correct ? 1.0 : 0.0));
            return new ModelSummary(g.Key, list.Count, Accuracy(list, options.Seed ^ Seed(g.Key), options.Resamples), byEnv,
                byEnv.Values.Average(), list.Average(e => e.UncachedPromptTokens + options.DecodeWeight * e.CompletionTokens));
        }).ToList();

        var modelNames = models.Select(m => m.Model).ToList();
        var factorNames = episodes.SelectMany(e => e.Factors.Keys).Distinct().ToList();
        var effects = factorNames.Select(f =>
        {
            var levels = episodes.Select(e => Level(e, f)).Distinct().Order(StringComparer.Ordinal).ToList();
            return new FactorEffect(f, levels, modelNames.ToDictionary(m => m, m => (IReadOnlyList<double>)levels.Select(l =>
            {
                var sel = episodes.Where(e => e.Model == m && Level(e, f) == l).ToList();
                return sel.Count == 0 ? double.NaN : sel.Average(e => e.Reward);
            }).ToList()));
        }).Where(e => e.Levels.Count > 1).ToList();

        var scores = episodes.Select(e => e.Reward).ToList();
        // Factors that can explain variance, in display order (only those with more than one level are kept).
        string[] decompositionFactors = ["model", "environment", "task", "seed", .. factorNames];
        var factorLevels = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var f in decompositionFactors)
        {
            var levels = episodes.Select(e => Level(e, f)).ToList();
            if (levels.Distinct().Count() > 1) factorLevels[f] = levels;
        }
        if (!factorLevels.ContainsKey("model")) factorLevels["model"] = episodes.Select(e => e.Model).ToList();
        var shares = episodes.Count == 0 ? [] : VarianceDecomposition.Compute(scores, factorLevels, "model")
            .OrderBy(s => Array.IndexOf(decompositionFactors, s.Factor)).ToList();

        var ranking = RankingStability.Compute(
            episodes.Select(e => new Observation(e.Model, e.SettingLabel, e.Environment + "/" + e.TaskId, e.Reward)).ToList(),
            options.Seed, options.Resamples, options.TargetHalfWidth);

        var swingFactors = new[] { "seed" }.Concat(factorNames)
            .Where(f => episodes.Select(e => Level(e, f)).Distinct().Skip(1).Any()).ToList();
        var swings = swingFactors.SelectMany(f => FactorSwings.Compute(f,
            episodes.Select(e => new Observation(e.Model, Level(e, f), e.Environment + "/" + e.TaskId, e.Reward)).ToList(),
            options.Seed ^ Seed(f), options.Resamples)).ToList();

        var standard = new List<StandardScore>();
        if (options.Standard is { } baseline)
            foreach (var g in episodes.Where(e => baseline.All(kv => !e.Factors.ContainsKey(kv.Key) || e.Factors[kv.Key] == kv.Value))
                         .GroupBy(e => e.Model).OrderBy(g => g.Key, StringComparer.Ordinal))
                standard.Add(new StandardScore(g.Key, g.Count(), Accuracy(g.ToList(), options.Seed ^ Seed("standard:" + g.Key), options.Resamples)));

        return new SweepSummary
        {
            Name = name,
            Episodes = episodes.Count,
            Configurations = configs,
            Models = models,
            Effects = effects,
            VarianceShares = shares,
            Ranking = ranking,
            Swings = swings,
            Standard = standard,
            Options = options,
            FactorNames = factorNames,
        };
    }

    private static string Level(StoredEpisode e, string factor) => factor switch
    {
        "model" => e.Model,
        "environment" => e.Environment,
        "task" => e.Environment + "/" + e.TaskId,
        "seed" => e.Seed.ToString(CultureInfo.InvariantCulture),
        _ => e.Factors.GetValueOrDefault(factor, ""),
    };

    private static ulong Seed(string text) => BitConverter.ToUInt64(Convert.FromHexString(StableHash.Of(text)[..16]));

    private static ConfidenceInterval Accuracy(IReadOnlyList<StoredEpisode> list, ulong seed, int resamples) =>
        Bootstrap.ClusterMean(list.GroupBy(e => e.Environment + "/" + e.TaskId).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (IReadOnlyList<double>)g.Select(e => e.Correct ? 1.0 : 0.0).ToList()).ToList(), seed, resamples);

    private static ConfigurationSummary Configuration(IReadOnlyList<StoredEpisode> list, SummaryOptions o)
    {
        var first = list[0];
        var perTask = list.GroupBy(e => e.TaskId).Select(g => (N: g.Count(), C: g.Count(e => e.Correct))).ToList();
        var minAttempts = perTask.Min(t => t.N);
        var ks = Enumerable.Range(1, Math.Min(minAttempts, 5)).ToList();
        var accuracy = Accuracy(list, o.Seed ^ Seed(first.ConfigHash), o.Resamples);
        var toolCalls = list.Sum(e => e.ToolCalls);
        double? costOfPass = null;
        if (o.PricePerMillion is { } price && accuracy.Estimate > 0)
            costOfPass = list.Average(e => (e.PromptTokens * price.Prompt + e.CompletionTokens * price.Completion) / 1e6) / accuracy.Estimate;
        return new ConfigurationSummary
        {
            Hash = first.ConfigHash,
            Model = first.Model,
            Environment = first.Environment,
            Factors = first.Factors,
            Episodes = list.Count,
            Tasks = perTask.Count,
            Accuracy = accuracy,
            MeanReward = list.Average(e => e.Reward),
            PassAt = ks.ToDictionary(k => k, k => PassAtK.Average(perTask, k, hat: false)),
            PassHat = ks.ToDictionary(k => k, k => PassAtK.Average(perTask, k, hat: true)),
            Turns = list.Average(e => e.Turns),
            ToolCalls = list.Average(e => e.ToolCalls),
            MalformedCalls = list.Average(e => e.MalformedCalls),
            PromptTokens = list.Average(e => e.PromptTokens),
            CompletionTokens = list.Average(e => e.CompletionTokens),
            Pte = list.Average(e => e.UncachedPromptTokens + o.DecodeWeight * e.CompletionTokens),
            LatencyMilliseconds = list.Average(e => e.LatencyMilliseconds),
            ToolProductivity = toolCalls == 0 ? double.NaN : (double)list.Count(e => e.Correct) / toolCalls,
            CostOfPass = costOfPass,
        };
    }

    /// <summary>The machine-readable summary (<c>toolsharp report --json</c>); see <see cref="SummaryJson"/>.</summary>
    public string ToJson(bool indented = false) => SummaryJson.Serialize(this, indented);
}
