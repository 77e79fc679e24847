using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ToolSharp.Evaluation.Reports;

/// <summary>The machine-readable summary (<c>toolsharp report --json</c>, <c>summary.json</c>): records serialised with
/// System.Text.Json, snake_case, every number rounded to 6 decimals and an undefined statistic (NaN) written as null.</summary>
public static class SummaryJson
{
    public static string Serialize(SweepSummary s, bool indented = false) =>
        JsonSerializer.Serialize(Document(s), indented ? Indented : Compact);

    private static readonly JsonSerializerOptions Compact = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new RoundedNumber() },
    };

    private static readonly JsonSerializerOptions Indented = new(Compact) { WriteIndented = true };

    private static SummaryDocument Document(SweepSummary s)
    {
        var r = s.Ranking;
        return new SummaryDocument(
            s.Name, s.Episodes, s.Options.DecodeWeight,
            s.Configurations.Select(c => new ConfigurationDocument(
                c.Hash, c.Model, c.Environment, s.FactorNames.ToDictionary(f => f, f => c.Factors.GetValueOrDefault(f, "")),
                c.Episodes, c.Tasks, c.Accuracy.Estimate, [c.Accuracy.Low, c.Accuracy.High], c.MeanReward,
                Keyed(c.PassAt), Keyed(c.PassHat), c.Turns, c.ToolCalls, c.MalformedCalls, c.PromptTokens, c.CompletionTokens,
                c.Pte, c.LatencyMilliseconds, c.ToolProductivity, c.CostOfPass)).ToList(),
            s.Models.Select(m => new ModelDocument(m.Model, m.Episodes, m.Accuracy.Estimate, [m.Accuracy.Low, m.Accuracy.High],
                m.ByEnvironment, m.UnweightedAverage, m.Pte,
                BfclColumns.Of(m) is { Count: > 0 } bfcl ? bfcl.ToDictionary(c => c.Column, c => c.Accuracy) : null)).ToList(),
            r.Ranking, r.MeanKendallTau, r.MinKendallTau,
            r.Pairs.ToDictionary(p => $"{p.First}>{p.Second}", p => new PairDocument(p.Difference, p.FlipAcrossSettings, p.FlipAcrossBootstrap, p.ResolvableDifference)),
            r.ResolvableDifference, r.RecommendedTasks, r.RecommendedSeeds, r.TargetHalfWidth,
            s.VarianceShares.ToDictionary(v => v.Factor, v => new ShareDocument(v.MainEffect, v.ModelInteraction)),
            s.Options.Standard,
            s.Standard.ToDictionary(x => x.Model, x => new StandardDocument(x.Episodes, x.Accuracy.Estimate, [x.Accuracy.Low, x.Accuracy.High])),
            s.Swings.GroupBy(w => w.Factor).ToDictionary(g => g.Key, g => g.ToDictionary(w => w.Model, w => new SwingDocument(
                w.Swing.Estimate, [w.Swing.Low, w.Swing.High], w.Best, w.Worst,
                w.Levels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => w.Means[x.i])))));
    }

    private static Dictionary<string, double> Keyed(IReadOnlyDictionary<int, double> byK) =>
        byK.ToDictionary(kv => kv.Key.ToString(CultureInfo.InvariantCulture), kv => kv.Value);

    private sealed record SummaryDocument(
        string Sweep, int Episodes, double PteDecodeWeight,
        IReadOnlyList<ConfigurationDocument> Configurations,
        IReadOnlyList<ModelDocument> Models,
        IReadOnlyList<string> Ranking,
        double KendallTau,
        double KendallTauMin,
        IReadOnlyDictionary<string, PairDocument> RankFlipProbability,
        double ResolvableDifference, int RecommendedTasks, int RecommendedSeeds,
        [property: JsonPropertyName("target_ci_half_width")] double TargetHalfWidth,
        IReadOnlyDictionary<string, ShareDocument> VarianceShare,
        [property: JsonPropertyName("standard_configuration")] IReadOnlyDictionary<string, string>? StandardConfiguration,
        [property: JsonPropertyName("standard_accuracy")] IReadOnlyDictionary<string, StandardDocument> StandardAccuracy,
        [property: JsonPropertyName("factor_swing")] IReadOnlyDictionary<string, Dictionary<string, SwingDocument>> FactorSwing);

    private sealed record StandardDocument(int Episodes, double Accuracy, double[] Ci95);

    private sealed record SwingDocument(double Swing, double[] Ci95, string Best, string Worst, IReadOnlyDictionary<string, double> Means);

    private sealed record ConfigurationDocument(
        string Hash, string Model, string Environment, IReadOnlyDictionary<string, string> Factors, int Episodes, int Tasks,
        double Accuracy, double[] Ci95, double MeanReward,
        [property: JsonPropertyName("pass_at_k")] IReadOnlyDictionary<string, double> PassAt,
        [property: JsonPropertyName("pass_hat_k")] IReadOnlyDictionary<string, double> PassHat,
        double Turns, double ToolCalls, double MalformedCalls, double PromptTokens, double CompletionTokens, double Pte,
        [property: JsonPropertyName("latency_ms")] double LatencyMilliseconds, double ToolProductivity,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? CostOfPass);

    private sealed record ModelDocument(string Model, int Episodes, double Accuracy, double[] Ci95,
        IReadOnlyDictionary<string, double> ByEnvironment, double UnweightedAverage, double Pte,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, double>? Bfcl);

    private sealed record PairDocument(double Difference,
        [property: JsonPropertyName("across_configurations")] double AcrossConfigurations,
        double AcrossBootstrap, double ResolvableDifference);

    private sealed record ShareDocument(double Main, double ModelInteraction);

    /// <summary>A number rounded to 6 decimals; NaN and infinities, which JSON cannot hold, as null.</summary>
    private sealed class RoundedNumber : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(Math.Round(value, 6));
            else writer.WriteNullValue();
        }
    }
}
