using ToolSharp.Core.Randomness;

namespace ToolSharp.Evaluation.Statistics;

/// <summary>Computes <see cref="RankingReport"/>s: does the model ranking survive a change of seed, prompt, template, history or format?</summary>
/// <remarks>
/// Settings are compared only where every model was run, so each ranking is over the same conditions. The overall
/// mean of a model weights settings equally. Bootstrap resamples tasks (clusters) with a seeded generator, so the
/// reported flip probabilities are reproducible.
/// </remarks>
public static class RankingStability
{
    public static RankingReport Compute(IReadOnlyList<Observation> observations, ulong seed = 1, int resamples = 1000, double targetHalfWidth = 0.05)
    {
        var models = observations.Select(o => o.Model).Distinct().Order(StringComparer.Ordinal).ToList();
        var settings = observations.GroupBy(o => o.Setting)
            .Where(g => models.All(m => g.Any(o => o.Model == m)))
            .Select(g => g.Key).Order(StringComparer.Ordinal).ToList();
        var complete = observations.Where(o => settings.Contains(o.Setting)).ToList();

        var cellMeans = complete.GroupBy(o => (o.Model, o.Setting)).ToDictionary(g => g.Key, g => g.Average(o => o.Score));
        var overall = models.ToDictionary(m => m, m => settings.Count == 0 ? double.NaN : settings.Average(s => cellMeans[(m, s)]));
        var ranking = Rank(models, m => overall[m]);
        var bySetting = settings.ToDictionary(s => s, s => (IReadOnlyList<string>)Rank(models, m => cellMeans[(m, s)]));

        var taus = new List<double>();
        for (var i = 0; i < settings.Count; i++)
        for (var j = i + 1; j < settings.Count; j++)
        {
            var tau = KendallTau.TauB(models.Select(m => cellMeans[(m, settings[i])]).ToList(), models.Select(m => cellMeans[(m, settings[j])]).ToList());
            if (!double.IsNaN(tau)) taus.Add(tau);
        }

        // Bootstrap over tasks: every resample draws clusters with replacement and recomputes each model's overall mean.
        var clusters = complete.Select(o => o.Cluster).Distinct().Order(StringComparer.Ordinal).ToList();
        var byCluster = complete.GroupBy(o => o.Cluster).ToDictionary(g => g.Key, g => g.ToList());
        var rng = new SeededRandom(seed);
        var bootMeans = new List<Dictionary<string, double>>();
        for (var b = 0; b < resamples && clusters.Count > 0; b++)
        {
            var sums = new Dictionary<(string, string), (double S, int N)>();
            for (var k = 0; k < clusters.Count; k++)
            {
                foreach (var o in byCluster[clusters[rng.Next(clusters.Count)]])
                {
                    sums.TryGetValue((o.Model, o.Setting), out var v);
                    sums[(o.Model, o.Setting)] = (v.S + o.Score, v.N + 1);
                }
            }
            bootMeans.Add(models.ToDictionary(m => m, m =>
            {
                var cells = settings.Where(s => sums.ContainsKey((m, s))).Select(s => sums[(m, s)].S / sums[(m, s)].N).ToList();
                return cells.Count == 0 ? double.NaN : cells.Average();
            }));
        }

        var pairs = new List<PairStability>();
        for (var i = 0; i < ranking.Count; i++)
        for (var j = i + 1; j < ranking.Count; j++)
        {
            var (a, b) = (ranking[i], ranking[j]);
            var sign = Math.Sign(overall[a] - overall[b]);
            var acrossSettings = settings.Count == 0 ? double.NaN : settings.Average(s => Flip(sign, cellMeans[(a, s)] - cellMeans[(b, s)]));
            var valid = bootMeans.Where(d => !double.IsNaN(d[a]) && !double.IsNaN(d[b])).ToList();
            var acrossBoot = valid.Count == 0 ? double.NaN : valid.Average(d => Flip(sign, d[a] - d[b]));
            pairs.Add(new PairStability(a, b, overall[a] - overall[b], acrossSettings, acrossBoot, Resolvable(complete, a, b)));
        }

        var (tasks, seeds) = Recommend(complete, targetHalfWidth);
        return new RankingReport
        {
            Ranking = ranking,
            OverallMeans = overall,
            RankingBySetting = bySetting,
            MeanKendallTau = taus.Count == 0 ? double.NaN : taus.Average(),
            MinKendallTau = taus.Count == 0 ? double.NaN : taus.Min(),
            Pairs = pairs,
            ResolvableDifference = pairs.Count == 0 ? double.NaN : pairs.Max(p => p.ResolvableDifference),
            RecommendedTasks = tasks,
            RecommendedSeeds = seeds,
            TargetHalfWidth = targetHalfWidth,
        };
    }

    // An order agrees (0), is reversed (1) or tied (½) relative to the reference sign; a tied reference counts every
    // strict order as half a flip too, since neither order was established.
    private static double Flip(int referenceSign, double difference)
    {
        var s = Math.Sign(difference);
        if (s == 0 || referenceSign == 0) return 0.5;
        return s == referenceSign ? 0 : 1;
    }

    private static List<string> Rank(IEnumerable<string> models, Func<string, double> score) =>
        models.OrderByDescending(score).ThenBy(m => m, StringComparer.Ordinal).ToList();

    /// <summary>1.96 × SE of the mean of per-task differences (each task's mean over settings and seeds), pairing by task.</summary>
    private static double Resolvable(IReadOnlyList<Observation> obs, string a, string b)
    {
        var diffs = obs.GroupBy(o => o.Cluster)
            .Where(g => g.Any(o => o.Model == a) && g.Any(o => o.Model == b))
            .Select(g => g.Where(o => o.Model == a).Average(o => o.Score) - g.Where(o => o.Model == b).Average(o => o.Score))
            .ToList();
        if (diffs.Count < 2) return double.NaN;
        var mean = diffs.Average();
        var sd = Math.Sqrt(diffs.Sum(d => (d - mean) * (d - mean)) / (diffs.Count - 1));
        return 1.96 * sd / Math.Sqrt(diffs.Count);
    }

    /// <summary>Variance components per (model, setting): between-task variance of task means and within-task (seed) variance.</summary>
    private static (int Tasks, int Seeds) Recommend(IReadOnlyList<Observation> obs, double halfWidth)
    {
        var between = new List<double>();
        var within = new List<double>();
        var perTask = new List<double>();
        foreach (var cell in obs.GroupBy(o => (o.Model, o.Setting)))
        {
            var tasks = cell.GroupBy(o => o.Cluster).Select(g => g.Select(o => o.Score).ToList()).ToList();
            if (tasks.Count < 2) continue;
            var means = tasks.Select(t => t.Average()).ToList();
            var grand = means.Average();
            between.Add(means.Sum(m => (m - grand) * (m - grand)) / (means.Count - 1));
            within.AddRange(tasks.Where(t => t.Count > 1).Select(t => { var m = t.Average(); return t.Sum(x => (x - m) * (x - m)) / (t.Count - 1); }));
            perTask.Add(tasks.Average(t => t.Count));
        }
        if (between.Count == 0) return (0, 0);
        var varBetween = between.Average();
        var varWithin = within.Count == 0 ? 0 : within.Average();
        var tasksNeeded = (int)Math.Ceiling(1.96 * 1.96 * varBetween / (halfWidth * halfWidth));
        // σ²_task = σ²_between-task-means − σ²_within/S; seeds help until σ²_within/S is small next to it.
        var seedsPerTask = perTask.Average();
        var trueTaskVar = Math.Max(1e-9, varBetween - varWithin / seedsPerTask);
        var seeds = varWithin == 0 ? 1 : (int)Math.Ceiling(varWithin / (0.1 * trueTaskVar));
        return (Math.Max(1, tasksNeeded), Math.Clamp(seeds, 1, 100));
    }
}
