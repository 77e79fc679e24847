using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ToolSharp.Evaluation.Reports;
using ToolSharp.Evaluation.Store;
using ToolSharp.Evaluation.Sweeps;
using ToolSharp.Evaluation.Tests.Fakes;
using ToolSharp.Evaluation.Tests.Statistics;
using ToolSharp.Testing;

namespace ToolSharp.Evaluation.Tests.Reports;

/// <summary>Recomputes a report's numbers from <c>report --export episodes.jsonl</c> alone, following the formulas of
/// docs/evaluation.md ("Statistics") with code of its own: nothing here calls ToolSharp's statistics.</summary>
public class RecomputeFromExportTests
{
    private const ulong S = 1;      // report defaults: bootstrap seed and resamples, target half-width
    private const int B = 1000;
    private const double H = 0.05;
    private const double Tolerance = 1.5e-6; // the summary rounds to 6 decimals

    private sealed record Row(string Model, string Env, string Levels, string Hash, string TaskId, int Seed, double Reward, bool Correct,
        long PromptTokens, long CompletionTokens, long Uncached, IReadOnlyDictionary<string, string> Factors)
    {
        public string Task => Env + "/" + TaskId;
        public string Setting => Env + " · " + Levels;
    }

    private static async Task<(JsonElement Summary, List<Row> Rows, List<string> FactorNames)> RunAndExport()
    {
        SimulatedEndpoint? endpoint = null;
        await using var server = new FakeOpenAiServer(r => endpoint!.Handle(r));
        var yaml = $$"""
            name: recompute
            models:
              - {name: strong, model: "openai:{{server.BaseUrl}}#strong", concurrency: 4}
              - {name: mid, model: "openai:{{server.BaseUrl}}#mid", concurrency: 4}
              - {name: weak, model: "openai:{{server.BaseUrl}}#weak", concurrency: 4}
            environments:
              - {env: "arith:levels=1", split: test, tasks: 5}
              - {env: "arith:levels=2", split: test, tasks: 4}
            factors:
              seeds: [1, 2]
              system_prompts: [default, minimal]
              templates: [native, packed]
              temperatures: [0.7]
            trials: 2
            max_turns: 4
            price_per_million: {prompt: 0.15, completion: 0.6}
            """;
        var plan = SweepPlan.Create(SweepFile.Parse(yaml));
        endpoint = new SimulatedEndpoint(plan.Environments.SelectMany(e => e.Tasks), new Dictionary<string, double> { ["strong"] = 0.85, ["mid"] = 0.75, ["weak"] = 0.6 });
        using var dir = new TempDirectory();
        using var store = ResultsStore.Open(dir.File("r.db"));
        await new SweepRunner(plan, store, SimulatedSweep.Policies()).RunAsync();
        var summary = JsonDocument.Parse(SweepSummary.Build("recompute", store.Episodes(), new SummaryOptions { PricePerMillion = (0.15, 0.6), Standard = StudyProtocol.Standard(plan.Definition.Factors) }).ToJson()).RootElement.Clone();

        var jsonl = new StringWriter();
        store.ExportJsonl(jsonl);
        var rows = new List<Row>();
        List<string>? names = null;
        foreach (var line in jsonl.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var o = JsonDocument.Parse(line).RootElement;
            var keys = o.EnumerateObject().Select(p => p.Name).ToList();
            // The factors are the keys between environment and config_hash.
            var factorNames = keys.Skip(keys.IndexOf("environment") + 1).TakeWhile(k => k != "config_hash").ToList();
            names ??= factorNames;
            var factors = factorNames.ToDictionary(f => f, f => o.GetProperty(f).GetString()!);
            rows.Add(new Row(o.GetProperty("model").GetString()!, o.GetProperty("environment").GetString()!, string.Join("|", factors.Values),
                o.GetProperty("config_hash").GetString()!, o.GetProperty("task_id").GetString()!, o.GetProperty("seed").GetInt32(),
                o.GetProperty("reward").GetDouble(), o.GetProperty("correct").GetInt32() == 1, o.GetProperty("prompt_tokens").GetInt64(),
                o.GetProperty("completion_tokens").GetInt64(), o.GetProperty("uncached_prompt_tokens").GetInt64(), factors));
        }
        return (summary, rows, names!);
    }

    private static ulong Named(string text) => BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static double R7(double[] sorted, double q)
    {
        var pos = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private static (double Estimate, double Low, double High) TaskBootstrap(IReadOnlyList<Row> rows, ulong seed)
    {
        var tasks = rows.GroupBy(r => r.Task).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Sum: g.Sum(r => r.Correct ? 1.0 : 0.0), Count: g.Count())).ToArray();
        var rng = new ReferenceSplitMix64(seed);
        var stats = new double[B];
        for (var b = 0; b < B; b++)
        {
            double sum = 0, count = 0;
            for (var i = 0; i < tasks.Length; i++)
            {
                var t = tasks[rng.Below(tasks.Length)];
                sum += t.Sum;
                count += t.Count;
            }
            stats[b] = sum / count;
        }
        Array.Sort(stats);
        return (rows.Count(r => r.Correct) / (double)rows.Count, R7(stats, 0.025), R7(stats, 0.975));
    }

    private static BigInteger C(int n, int k)
    {
        if (k < 0 || k > n) return 0;
        BigInteger r = 1;
        for (var i = 0; i < k; i++) r = r * (n - i) / (i + 1);
        return r;
    }

    private static void Near(JsonElement value, double expected, string what)
    {
        if (double.IsNaN(expected)) { value.ValueKind.ShouldBe(JsonValueKind.Null, what); return; }
        value.GetDouble().ShouldBe(expected, Tolerance, what);
    }

    [Fact]
    public async Task The_summarys_numbers_follow_from_the_exported_episodes_by_the_documented_formulas()
    {
        var (summary, rows, factorNames) = await RunAndExport();
        rows.Count.ShouldBe(3 * 4 * (5 + 4) * 2 * 2);
        summary.GetProperty("episodes").GetInt32().ShouldBe(rows.Count);
        factorNames.ShouldBe(["system_prompt", "template", "history", "format", "temperature", "top_p"]);

        // Configurations: accuracy, CI, pass@k, pass^k, PTE, cost of pass.
        var configurations = summary.GetProperty("configurations").EnumerateArray().ToDictionary(c => c.GetProperty("hash").GetString()!);
        configurations.Count.ShouldBe(3 * 2 * 4);
        foreach (var configuration in rows.GroupBy(r => r.Hash))
        {
            var c = configurations[configuration.Key];
            var list = configuration.ToList();
            var (estimate, low, high) = TaskBootstrap(list, S ^ Named(configuration.Key));
            Near(c.GetProperty("accuracy"), estimate, "accuracy " + configuration.Key);
            Near(c.GetProperty("ci95")[0], low, "ci low " + configuration.Key);
            Near(c.GetProperty("ci95")[1], high, "ci high " + configuration.Key);
            Near(c.GetProperty("mean_reward"), list.Average(r => r.Reward), "mean reward");
            var perTask = list.GroupBy(r => r.TaskId).Select(g => (N: g.Count(), Correct: g.Count(r => r.Correct))).ToList();
            c.GetProperty("tasks").GetInt32().ShouldBe(perTask.Count);
            for (var k = 1; k <= Math.Min(5, perTask.Min(t => t.N)); k++)
            {
                var at = perTask.Where(t => t.N >= k).Average(t => (double)(C(t.N, k) - C(t.N - t.Correct, k)) / (double)C(t.N, k));
                var hat = perTask.Where(t => t.N >= k).Average(t => (double)C(t.Correct, k) / (double)C(t.N, k));
                Near(c.GetProperty("pass_at_k").GetProperty(k.ToString()), at, $"pass@{k}");
                Near(c.GetProperty("pass_hat_k").GetProperty(k.ToString()), hat, $"pass^{k}");
            }
            c.GetProperty("pass_at_k").EnumerateObject().Count().ShouldBe(4); // 2 seeds × 2 trials per task
            Near(c.GetProperty("pte"), list.Average(r => r.Uncached + 4.0 * r.CompletionTokens), "pte");
            if (estimate > 0) Near(c.GetProperty("cost_of_pass"), list.Average(r => (r.PromptTokens * 0.15 + r.CompletionTokens * 0.6) / 1e6) / estimate, "cost of pass");
        }

        // Models: accuracy with a CI over all their configurations, per environment, unweighted mean.
        foreach (var m in summary.GetProperty("models").EnumerateArray())
        {
            var name = m.GetProperty("model").GetString()!;
            var list = rows.Where(r => r.Model == name).ToList();
            var (estimate, low, high) = TaskBootstrap(list, S ^ Named(name));
            Near(m.GetProperty("accuracy"), estimate, name);
            Near(m.GetProperty("ci95")[0], low, name + " low");
            Near(m.GetProperty("ci95")[1], high, name + " high");
            var byEnv = list.GroupBy(r => r.Env).ToDictionary(g => g.Key, g => g.Average(r => r.Correct ? 1.0 : 0.0));
            foreach (var (env, acc) in byEnv) Near(m.GetProperty("by_environment").GetProperty(env), acc, env);
            Near(m.GetProperty("unweighted_average"), byEnv.Values.Average(), "unweighted");
        }

        // Standard configuration: every factor at its first level, all seeds, bootstrapped over tasks like a model's accuracy.
        foreach (var m in summary.GetProperty("standard_accuracy").EnumerateObject())
        {
            var list = rows.Where(r => r.Model == m.Name && r.Factors["system_prompt"] == "default" && r.Factors["template"] == "native").ToList();
            var (estimate, low, high) = TaskBootstrap(list, S ^ Named("standard:" + m.Name));
            m.Value.GetProperty("episodes").GetInt32().ShouldBe(list.Count);
            Near(m.Value.GetProperty("accuracy"), estimate, "standard " + m.Name);
            Near(m.Value.GetProperty("ci95")[0], low, "standard low " + m.Name);
            Near(m.Value.GetProperty("ci95")[1], high, "standard high " + m.Name);
        }
        summary.GetProperty("standard_accuracy").EnumerateObject().Count().ShouldBe(3);

        // Factor swing: per model, the mean reward at each level, and max − min of those means.
        var swings = summary.GetProperty("factor_swing");
        swings.EnumerateObject().Select(p => p.Name).ShouldBe(["seed", "system_prompt", "template"]);
        foreach (var factor in swings.EnumerateObject())
        foreach (var model in factor.Value.EnumerateObject())
        {
            Func<Row, string> level = factor.Name == "seed" ? r => r.Seed.ToString() : r => r.Factors[factor.Name];
            var means = rows.Where(r => r.Model == model.Name).GroupBy(level).ToDictionary(g => g.Key, g => g.Average(r => r.Reward));
            foreach (var (l, mean) in means) Near(model.Value.GetProperty("means").GetProperty(l), mean, $"{factor.Name}={l} {model.Name}");
            Near(model.Value.GetProperty("swing"), means.Values.Max() - means.Values.Min(), $"swing {factor.Name} {model.Name}");
            // Ties go to the first level in ordinal order.
            model.Value.GetProperty("best").GetString().ShouldBe(means.OrderBy(kv => kv.Key, StringComparer.Ordinal).MaxBy(kv => kv.Value).Key);
        }

        // Variance shares.
        var y = rows.Select(r => r.Reward).ToArray();
        var ybar = y.Average();
        var ssTotal = y.Sum(v => (v - ybar) * (v - ybar));
        double Ss(Func<Row, string> level) => rows.Select((r, i) => (Level: level(r), Y: y[i])).GroupBy(p => p.Level).Sum(g => g.Count() * Math.Pow(g.Average(p => p.Y) - ybar, 2));
        var candidates = new List<(string Name, Func<Row, string> Level)> { ("model", r => r.Model), ("environment", r => r.Env), ("task", r => r.Task), ("seed", r => r.Seed.ToString()) };
        candidates.AddRange(factorNames.Select(f => (f, (Func<Row, string>)(r => r.Factors[f]))));
        var kept = candidates.Where(f => f.Name == "model" || rows.Select(f.Level).Distinct().Count() > 1).ToList();
        var shares = summary.GetProperty("variance_share");
        shares.EnumerateObject().Select(p => p.Name).ShouldBe(kept.Select(f => f.Name));
        kept.Select(f => f.Name).ShouldBe(["model", "environment", "task", "seed", "system_prompt", "template"]);
        var ssModel = Ss(r => r.Model);
        foreach (var (name, level) in kept)
        {
            var ss = Ss(level);
            Near(shares.GetProperty(name).GetProperty("main"), ss / ssTotal, name + " main");
            var interaction = name == "model" ? double.NaN : Math.Max(0, Ss(r => r.Model + "\u0001" + level(r)) - ssModel - ss) / ssTotal;
            Near(shares.GetProperty(name).GetProperty("model_interaction"), interaction, name + " × model");
        }

        // Ranking: settings where every model ran, cell means, overall means, ranking.
        var models = rows.Select(r => r.Model).Distinct().Order(StringComparer.Ordinal).ToList();
        var settings = rows.GroupBy(r => r.Setting).Where(g => models.All(m => g.Any(r => r.Model == m))).Select(g => g.Key).Order(StringComparer.Ordinal).ToList();
        var cell = rows.GroupBy(r => (r.Model, r.Setting)).ToDictionary(g => g.Key, g => g.Average(r => r.Reward));
        var overall = models.ToDictionary(m => m, m => settings.Average(s => cell[(m, s)]));
        var ranking = models.OrderByDescending(m => overall[m]).ThenBy(m => m, StringComparer.Ordinal).ToList();
        summary.GetProperty("ranking").EnumerateArray().Select(e => e.GetString()).ShouldBe(ranking);

        // Kendall τ-b between the settings' vectors of cell means, by the tie-group formula.
        static double TauB(double[] a, double[] b)
        {
            long nc = 0, nd = 0;
            for (var i = 0; i < a.Length; i++)
            for (var j = i + 1; j < a.Length; j++)
            {
                var s = Math.Sign(a[i] - a[j]) * Math.Sign(b[i] - b[j]);
                if (s > 0) nc++; else if (s < 0) nd++;
            }
            static long Tied(double[] v) => v.GroupBy(x => x).Sum(g => (long)g.Count() * (g.Count() - 1) / 2);
            long n0 = (long)a.Length * (a.Length - 1) / 2;
            var d = Math.Sqrt((double)(n0 - Tied(a)) * (n0 - Tied(b)));
            return d == 0 ? double.NaN : (nc - nd) / d;
        }
        var taus = new List<double>();
        for (var i = 0; i < settings.Count; i++)
        for (var j = i + 1; j < settings.Count; j++)
        {
            var tau = TauB(models.Select(m => cell[(m, settings[i])]).ToArray(), models.Select(m => cell[(m, settings[j])]).ToArray());
            if (!double.IsNaN(tau)) taus.Add(tau);
        }
        taus.Count.ShouldBeGreaterThan(0);
        Near(summary.GetProperty("kendall_tau"), taus.Average(), "mean tau");
        Near(summary.GetProperty("kendall_tau_min"), taus.Min(), "min tau");

        // Flip probabilities across configurations and across task resamples; resolvable differences.
        static double F(int sigma, double d) => Math.Sign(d) == 0 || sigma == 0 ? 0.5 : Math.Sign(d) == sigma ? 0 : 1;
        var complete = rows.Where(r => settings.Contains(r.Setting)).ToList();
        var tasks = complete.Select(r => r.Task).Distinct().Order(StringComparer.Ordinal).ToList();
        var byTask = complete.GroupBy(r => r.Task).ToDictionary(g => g.Key, g => g.ToList());
        var rng = new ReferenceSplitMix64(S);
        var resampled = new List<Dictionary<string, double>>();
        for (var b = 0; b < B; b++)
        {
            var sums = new Dictionary<(string, string), (double Sum, int Count)>();
            for (var k = 0; k < tasks.Count; k++)
                foreach (var r in byTask[tasks[rng.Below(tasks.Count)]])
                {
                    var v = sums.GetValueOrDefault((r.Model, r.Setting));
                    sums[(r.Model, r.Setting)] = (v.Sum + r.Reward, v.Count + 1);
                }
            resampled.Add(models.ToDictionary(m => m, m =>
            {
                var present = settings.Where(s => sums.ContainsKey((m, s))).Select(s => sums[(m, s)].Sum / sums[(m, s)].Count).ToList();
                return present.Count == 0 ? double.NaN : present.Average();
            }));
        }
        var flips = summary.GetProperty("rank_flip_probability");
        var resolvable = new List<double>();
        for (var i = 0; i < ranking.Count; i++)
        for (var j = i + 1; j < ranking.Count; j++)
        {
            var (a, b) = (ranking[i], ranking[j]);
            var p = flips.GetProperty($"{a}>{b}");
            var sigma = Math.Sign(overall[a] - overall[b]);
            Near(p.GetProperty("difference"), overall[a] - overall[b], $"{a}>{b} difference");
            Near(p.GetProperty("across_configurations"), settings.Average(s => F(sigma, cell[(a, s)] - cell[(b, s)])), $"{a}>{b} across settings");
            var valid = resampled.Where(d => !double.IsNaN(d[a]) && !double.IsNaN(d[b])).ToList();
            Near(p.GetProperty("across_bootstrap"), valid.Average(d => F(sigma, d[a] - d[b])), $"{a}>{b} across bootstrap");
            var diffs = complete.GroupBy(r => r.Task).Where(g => g.Any(r => r.Model == a) && g.Any(r => r.Model == b))
                .Select(g => g.Where(r => r.Model == a).Average(r => r.Reward) - g.Where(r => r.Model == b).Average(r => r.Reward)).ToList();
            var mean = diffs.Average();
            var sd = Math.Sqrt(diffs.Sum(d => (d - mean) * (d - mean)) / (diffs.Count - 1));
            resolvable.Add(1.96 * sd / Math.Sqrt(diffs.Count));
            Near(p.GetProperty("resolvable_difference"), resolvable[^1], $"{a}>{b} resolvable");
        }
        Near(summary.GetProperty("resolvable_difference"), resolvable.Max(), "resolvable");

        // Tasks and seeds needed for a ±H interval.
        var between = new List<double>();
        var within = new List<double>();
        var perTaskEpisodes = new List<double>();
        foreach (var c in complete.GroupBy(r => (r.Model, r.Setting)))
        {
            var scores = c.GroupBy(r => r.Task).Select(g => g.Select(r => r.Reward).ToList()).ToList();
            if (scores.Count < 2) continue;
            var means = scores.Select(t => t.Average()).ToList();
            var grand = means.Average();
            between.Add(means.Sum(m => (m - grand) * (m - grand)) / (means.Count - 1));
            within.AddRange(scores.Where(t => t.Count > 1).Select(t => { var m = t.Average(); return t.Sum(x => (x - m) * (x - m)) / (t.Count - 1); }));
            perTaskEpisodes.Add(scores.Average(t => t.Count));
        }
        var vb = between.Average();
        var vw = within.Average();
        var tauSquared = Math.Max(1e-9, vb - vw / perTaskEpisodes.Average());
        summary.GetProperty("recommended_tasks").GetInt32().ShouldBe(Math.Max(1, (int)Math.Ceiling(1.96 * 1.96 * vb / (H * H))));
        summary.GetProperty("recommended_seeds").GetInt32().ShouldBe(vw == 0 ? 1 : Math.Clamp((int)Math.Ceiling(vw / (0.1 * tauSquared)), 1, 100));
        Near(summary.GetProperty("target_ci_half_width"), H, "target");
    }
}
