using System.Globalization;
using System.Text;
using System.Text.Json;
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

        return new SweepSummary
        {
            Name = name,
            Episodes = episodes.Count,
            Configurations = configs,
            Models = models,
            Effects = effects,
            VarianceShares = shares,
            Ranking = ranking,
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

    /// <summary>The machine-readable summary (<c>toolsharp report --json</c>).</summary>
    public string ToJson(bool indented = false)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            w.WriteString("sweep", Name);
            w.WriteNumber("episodes", Episodes);
            w.WriteNumber("pte_decode_weight", Options.DecodeWeight);
            w.WriteStartArray("configurations");
            foreach (var c in Configurations)
            {
                w.WriteStartObject();
                w.WriteString("hash", c.Hash);
                w.WriteString("model", c.Model);
                w.WriteString("environment", c.Environment);
                w.WriteStartObject("factors");
                foreach (var f in FactorNames) w.WriteString(f, c.Factors.GetValueOrDefault(f, ""));
                w.WriteEndObject();
                w.WriteNumber("episodes", c.Episodes);
                w.WriteNumber("tasks", c.Tasks);
                Number(w, "accuracy", c.Accuracy.Estimate);
                w.WriteStartArray("ci95");
                NumberValue(w, c.Accuracy.Low);
                NumberValue(w, c.Accuracy.High);
                w.WriteEndArray();
                Number(w, "mean_reward", c.MeanReward);
                w.WriteStartObject("pass_at_k");
                foreach (var (k, v) in c.PassAt) Number(w, k.ToString(CultureInfo.InvariantCulture), v);
                w.WriteEndObject();
                w.WriteStartObject("pass_hat_k");
                foreach (var (k, v) in c.PassHat) Number(w, k.ToString(CultureInfo.InvariantCulture), v);
                w.WriteEndObject();
                Number(w, "turns", c.Turns);
                Number(w, "tool_calls", c.ToolCalls);
                Number(w, "malformed_calls", c.MalformedCalls);
                Number(w, "prompt_tokens", c.PromptTokens);
                Number(w, "completion_tokens", c.CompletionTokens);
                Number(w, "pte", c.Pte);
                Number(w, "latency_ms", c.LatencyMilliseconds);
                Number(w, "tool_productivity", c.ToolProductivity);
                if (c.CostOfPass is { } cost) Number(w, "cost_of_pass", cost);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("models");
            foreach (var m in Models)
            {
                w.WriteStartObject();
                w.WriteString("model", m.Model);
                w.WriteNumber("episodes", m.Episodes);
                Number(w, "accuracy", m.Accuracy.Estimate);
                w.WriteStartArray("ci95");
                NumberValue(w, m.Accuracy.Low);
                NumberValue(w, m.Accuracy.High);
                w.WriteEndArray();
                w.WriteStartObject("by_environment");
                foreach (var (e, v) in m.ByEnvironment) Number(w, e, v);
                w.WriteEndObject();
                Number(w, "unweighted_average", m.UnweightedAverage);
                Number(w, "pte", m.Pte);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("ranking");
            foreach (var m in Ranking.Ranking) w.WriteStringValue(m);
            w.WriteEndArray();
            Number(w, "kendall_tau", Ranking.MeanKendallTau);
            Number(w, "kendall_tau_min", Ranking.MinKendallTau);
            w.WriteStartObject("rank_flip_probability");
            foreach (var p in Ranking.Pairs)
            {
                w.WriteStartObject($"{p.First}>{p.Second}");
                Number(w, "difference", p.Difference);
                Number(w, "across_configurations", p.FlipAcrossSettings);
                Number(w, "across_bootstrap", p.FlipAcrossBootstrap);
                Number(w, "resolvable_difference", p.ResolvableDifference);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            Number(w, "resolvable_difference", Ranking.ResolvableDifference);
            w.WriteNumber("recommended_tasks", Ranking.RecommendedTasks);
            w.WriteNumber("recommended_seeds", Ranking.RecommendedSeeds);
            Number(w, "target_ci_half_width", Ranking.TargetHalfWidth);
            w.WriteStartObject("variance_share");
            foreach (var s in VarianceShares)
            {
                w.WriteStartObject(s.Factor);
                Number(w, "main", s.MainEffect);
                Number(w, "model_interaction", s.ModelInteraction);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    // NaN has no JSON form: undefined statistics (one setting, no tool calls) are written as null.
    private static void Number(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(name, Math.Round(v, 6));
        else w.WriteNull(name);
    }

    private static void NumberValue(Utf8JsonWriter w, double v)
    {
        if (double.IsFinite(v)) w.WriteNumberValue(Math.Round(v, 6));
        else w.WriteNullValue();
    }
}
