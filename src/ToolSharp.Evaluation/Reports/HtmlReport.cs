using System.Globalization;
using System.Net;
using System.Text;

namespace ToolSharp.Evaluation.Reports;

/// <summary>Writes a sweep summary as one self-contained HTML file: tables and inline SVG charts, nothing fetched at view time.</summary>
public static class HtmlReport
{
    /// <summary>The reports' CSS (tables, notes, inline charts), shared with other ToolSharp HTML reports.</summary>
    public const string Stylesheet =
        "body{font-family:sans-serif;margin:2em;max-width:1200px;color:#222}table{border-collapse:collapse;font-size:12px;margin:1em 0}" +
        "td,th{border:1px solid #ddd;padding:3px 6px;text-align:right}th{background:#f4f4f4}td.l,th.l{text-align:left}" +
        "section{margin-bottom:2.5em}.note{color:#666;font-size:12px;max-width:60em}svg.chart{display:block;margin:.5em 0;max-width:100%;height:auto}table{display:block;overflow-x:auto;max-width:100%}pre{font-size:11px;background:#f8f8f8;padding:1em;overflow:auto}";

    public static string Render(SweepSummary s, string? manifestJson = null)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(s.Name)).Append(" — ToolSharp evaluation</title>");
        sb.Append("<style>").Append(Stylesheet).Append("</style>");
        sb.Append("</head><body>");
        sb.Append("<h1>").Append(E(s.Name)).Append("</h1>");
        sb.Append($"<p>{s.Episodes} episodes, {s.Configurations.Count} model × configuration cells, {s.Models.Count} models. Bootstrap: {s.Options.Resamples} task resamples, seed {s.Options.Seed}.</p>");

        sb.Append("<section id=\"scores\"><h2>Score per model (95% CI over tasks)</h2>");
        sb.Append(SvgCharts.BarsWithCi("model-scores", s.Models.Select(m => (m.Model, m.Accuracy.Estimate, m.Accuracy.Low, m.Accuracy.High)).ToList()));
        sb.Append("<table><tr><th class=\"l\">model</th><th>episodes</th><th>accuracy</th><th>95% CI</th>");
        var envs = s.Models.SelectMany(m => m.ByEnvironment.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var e in envs) sb.Append("<th>").Append(E(e)).Append("</th>");
        sb.Append("<th>unweighted avg</th><th>PTE</th></tr>");
        foreach (var m in s.Models)
        {
            sb.Append($"<tr><td class=\"l\">{E(m.Model)}</td><td>{m.Episodes}</td><td>{P(m.Accuracy.Estimate)}</td><td>[{P(m.Accuracy.Low)}, {P(m.Accuracy.High)}]</td>");
            foreach (var e in envs) sb.Append("<td>").Append(m.ByEnvironment.TryGetValue(e, out var v) ? P(v) : "–").Append("</td>");
            sb.Append($"<td>{P(m.UnweightedAverage)}</td><td>{N(m.Pte)}</td></tr>");
        }
        sb.Append("</table></section>");
        AppendStandard(sb, s);
        AppendBfcl(sb, s);

        sb.Append("<section id=\"configurations\"><h2>Every model × configuration</h2>");
        sb.Append(SvgCharts.BarsWithCi("configuration-scores", s.Configurations.Select(c => ($"{c.Model} · {Short(c)}", c.Accuracy.Estimate, c.Accuracy.Low, c.Accuracy.High)).ToList()));
        sb.Append("<table><tr><th class=\"l\">model</th><th class=\"l\">environment</th>");
        foreach (var f in s.FactorNames) sb.Append("<th class=\"l\">").Append(E(f)).Append("</th>");
        sb.Append("<th>episodes</th><th>accuracy</th><th>95% CI</th><th>pass@k</th><th>pass^k</th><th>turns</th><th>tool calls</th><th>malformed</th><th>prompt tok</th><th>compl. tok</th><th>PTE</th><th>latency ms</th><th>correct/call</th><th>cost of pass</th><th class=\"l\">hash</th></tr>");
        foreach (var c in s.Configurations)
        {
            sb.Append($"<tr><td class=\"l\">{E(c.Model)}</td><td class=\"l\">{E(c.Environment)}</td>");
            foreach (var f in s.FactorNames) sb.Append("<td class=\"l\">").Append(E(c.Factors.GetValueOrDefault(f, ""))).Append("</td>");
            sb.Append($"<td>{c.Episodes}</td><td>{P(c.Accuracy.Estimate)}</td><td>[{P(c.Accuracy.Low)}, {P(c.Accuracy.High)}]</td>");
            sb.Append($"<td>{string.Join(" ", c.PassAt.Select(kv => $"{kv.Key}:{P(kv.Value)}"))}</td><td>{string.Join(" ", c.PassHat.Select(kv => $"{kv.Key}:{P(kv.Value)}"))}</td>");
            sb.Append($"<td>{N(c.Turns)}</td><td>{N(c.ToolCalls)}</td><td>{N(c.MalformedCalls)}</td><td>{N(c.PromptTokens)}</td><td>{N(c.CompletionTokens)}</td><td>{N(c.Pte)}</td><td>{N(c.LatencyMilliseconds)}</td><td>{N(c.ToolProductivity)}</td><td>{(c.CostOfPass is { } cp ? cp.ToString("0.######", CultureInfo.InvariantCulture) : "–")}</td><td class=\"l\">{c.Hash}</td></tr>");
        }
        sb.Append("</table></section>");

        sb.Append("<section id=\"effects\"><h2>Factor effects</h2><p class=\"note\">Mean reward of each model at each level of a factor, averaged over everything else in the sweep.</p>");
        if (s.Effects.Count == 0) sb.Append("<p>No factor was varied.</p>");
        foreach (var e in s.Effects)
            sb.Append("<h3>").Append(E(e.Factor)).Append("</h3>").Append(SvgCharts.Effect("effect-" + e.Factor, e.Levels, e.MeansByModel));
        sb.Append("</section>");

        AppendSwings(sb, s);

        sb.Append("<section id=\"variance\"><h2>Variance decomposition</h2><p class=\"note\">Share of episode-score variance explained by each factor (η², ANOVA-style main effect) and by its interaction with the model (the factor changes models differently). On unbalanced designs shares can overlap.</p>");
        sb.Append(SvgCharts.VarianceBars("variance-shares", s.VarianceShares.Select(v => (v.Factor, v.MainEffect, v.ModelInteraction)).ToList()));
        sb.Append("</section>");

        var r = s.Ranking;
        sb.Append("<section id=\"ranking\"><h2>Ranking stability</h2>");
        sb.Append($"<p>Overall ranking: <b>{E(string.Join(" > ", r.Ranking))}</b>. Mean Kendall τ between the rankings of {r.RankingBySetting.Count} configurations: <b>{N(r.MeanKendallTau)}</b> (min {N(r.MinKendallTau)}). " +
                  $"Smallest resolvable difference: <b>{P(r.ResolvableDifference)}</b>. For a 95% CI of ±{P(r.TargetHalfWidth)} per model: about <b>{r.RecommendedTasks}</b> tasks at {r.RecommendedSeeds} seed(s) per task.</p>");
        var labels = r.Ranking.ToList();
        double FlipAt(int i, int j, bool boot)
        {
            var p = r.Pairs.FirstOrDefault(x => (x.First == labels[i] && x.Second == labels[j]) || (x.First == labels[j] && x.Second == labels[i]));
            return p is null ? double.NaN : boot ? p.FlipAcrossBootstrap : p.FlipAcrossSettings;
        }
        sb.Append("<h3>Probability that a pair's order flips across configurations (upper) and across task resamples (lower)</h3>");
        sb.Append(SvgCharts.Heatmap("rank-flips", labels, (i, j) => FlipAt(i, j, boot: i > j)));
        sb.Append("<table><tr><th class=\"l\">pair</th><th>difference</th><th>flip across configurations</th><th>flip across bootstrap</th><th>resolvable difference</th></tr>");
        foreach (var p in r.Pairs)
            sb.Append($"<tr><td class=\"l\">{E(p.First)} &gt; {E(p.Second)}</td><td>{P(p.Difference)}</td><td>{P(p.FlipAcrossSettings)}</td><td>{P(p.FlipAcrossBootstrap)}</td><td>{P(p.ResolvableDifference)}</td></tr>");
        sb.Append("</table><details><summary>Ranking under each configuration</summary><table><tr><th class=\"l\">configuration</th><th class=\"l\">ranking</th></tr>");
        foreach (var (setting, ranking) in r.RankingBySetting)
            sb.Append($"<tr><td class=\"l\">{E(setting)}</td><td class=\"l\">{E(string.Join(" > ", ranking))}</td></tr>");
        sb.Append("</table></details></section>");

        sb.Append("<section id=\"efficiency\"><h2>Efficiency vs. accuracy</h2>");
        sb.Append($"<p class=\"note\">PTE (prefill-token equivalents) = prompt tokens that cannot reuse the KV cache + {N(s.Options.DecodeWeight)} × generated tokens, per episode. The dashed line is the Pareto front: nothing is both cheaper and more accurate.</p>");
        sb.Append(SvgCharts.ParetoScatter("efficiency-pareto", s.Configurations.Select(c => ($"{c.Model} · {Short(c)}", c.Model, c.Pte, c.Accuracy.Estimate)).ToList(), "PTE per episode"));
        sb.Append("</section>");

        if (manifestJson is not null) sb.Append("<section id=\"manifest\"><h2>Run manifest</h2><pre>").Append(E(manifestJson)).Append("</pre></section>");
        sb.Append("</body></html>");
        return sb.ToString();
    }

    private static string Short(ConfigurationSummary c) => c.Environment + " " + string.Join("|", c.Factors.Values);

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string P(double v) => double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "–";

    private static string N(double v) => double.IsFinite(v) ? v.ToString("0.##", CultureInfo.InvariantCulture) : "–";

    /// <summary>The score a leaderboard would print: every factor at its baseline level, all seeds.</summary>
    private static void AppendStandard(StringBuilder sb, SweepSummary s)
    {
        if (s.Standard.Count == 0) return;
        var label = s.Options.Standard is { } st ? string.Join(", ", st.Select(kv => $"{kv.Key} = {kv.Value}")) : "";
        sb.Append("<section id=\"standard\"><h2>Standard configuration (95% CI over tasks)</h2><p class=\"note\">").Append(E(label)).Append("; every seed.</p>");
        sb.Append(SvgCharts.BarsWithCi("standard-scores", s.Standard.Select(m => (m.Model, m.Accuracy.Estimate, m.Accuracy.Low, m.Accuracy.High)).ToList()));
        sb.Append("<table><tr><th class=\"l\">model</th><th>episodes</th><th>accuracy</th><th>95% CI</th></tr>");
        foreach (var m in s.Standard)
            sb.Append($"<tr><td class=\"l\">{E(m.Model)}</td><td>{m.Episodes}</td><td>{P(m.Accuracy.Estimate)}</td><td>[{P(m.Accuracy.Low)}, {P(m.Accuracy.High)}]</td></tr>");
        sb.Append("</table></section>");
    }

    /// <summary>How many points each factor moves each model: best level's mean minus worst level's, with its interval.</summary>
    private static void AppendSwings(StringBuilder sb, SweepSummary s)
    {
        if (s.Swings.Count == 0) return;
        sb.Append("<section id=\"swings\"><h2>Factor swing (best level − worst level, 95% CI over tasks)</h2><p class=\"note\">Max − min of noisy means is biased upward: " +
                  "compare a factor's swing with the seed's, which is run-to-run noise alone.</p>");
        // One colour per model, as in the score charts, so a model's bars read across factors.
        var models = s.Swings.Select(w => w.Model).Distinct().Order(StringComparer.Ordinal).ToList();
        sb.Append(SvgCharts.BarsWithCi("factor-swings", s.Swings.Select(w => ($"{w.Factor} · {w.Model}", w.Swing.Estimate, w.Swing.Low, w.Swing.High)).ToList(),
            i => models.IndexOf(s.Swings[i].Model)));
        sb.Append("<table><tr><th class=\"l\">factor</th><th class=\"l\">model</th><th>swing</th><th>95% CI</th><th class=\"l\">best</th><th class=\"l\">worst</th></tr>");
        foreach (var w in s.Swings)
            sb.Append($"<tr><td class=\"l\">{E(w.Factor)}</td><td class=\"l\">{E(w.Model)}</td><td>{P(w.Swing.Estimate)}</td><td>[{P(w.Swing.Low)}, {P(w.Swing.High)}]</td><td class=\"l\">{E(w.Best)}</td><td class=\"l\">{E(w.Worst)}</td></tr>");
        sb.Append("</table></section>");
    }

    /// <summary>The leaderboard view: one row per model, BFCL's categories and multi-turn overall as columns.</summary>
    private static void AppendBfcl(System.Text.StringBuilder sb, SweepSummary s)
    {
        var (headers, rows) = BfclColumns.Table(s.Models);
        if (rows.Count == 0) return;
        sb.Append("<section id=\"bfcl\"><h2>BFCL (accuracy per category)</h2><table><tr><th class=\"l\">model</th>");
        foreach (var h in headers) sb.Append("<th>").Append(E(h)).Append("</th>");
        sb.Append("</tr>");
        foreach (var (model, values) in rows)
        {
            sb.Append("<tr><td class=\"l\">").Append(E(model)).Append("</td>");
            foreach (var v in values) sb.Append("<td>").Append(v is { } a ? P(a) : "–").Append("</td>");
            sb.Append("</tr>");
        }
        sb.Append("</table></section>");
    }
}
