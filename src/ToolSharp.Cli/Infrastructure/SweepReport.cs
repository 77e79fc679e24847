using System.Text.Json;
using ToolSharp.Core.Json;
using ToolSharp.Evaluation.Reports;
using ToolSharp.Evaluation.Store;

namespace ToolSharp.Cli.Infrastructure;

/// <summary>A results database's summary as <c>report</c> and <c>study</c> write it: options from the stored manifest
/// (prices, the standard configuration), then report.html and summary.json.</summary>
public static class SweepReport
{
    /// <summary>The summary of every stored episode; the manifest supplies prices and the standard configuration
    /// (each factor's first listed level).</summary>
    public static SweepSummary Build(ResultsStore store, string database, SummaryOptions options)
    {
        var manifest = store.GetManifest("manifest");
        if (manifest is not null)
        {
            var root = JsonValues.Parse(manifest);
            if (root.TryGetProperty("price_per_million", out var p))
                options = options with { PricePerMillion = (p.GetProperty("prompt").GetDouble(), p.GetProperty("completion").GetDouble()) };
            if (root.TryGetProperty("factors", out var factors))
                options = options with
                {
                    Standard = factors.EnumerateObject().Where(f => f.Name != "seeds" && f.Value.ValueKind == JsonValueKind.Array && f.Value.GetArrayLength() > 0)
                        .ToDictionary(f => f.Name, f => f.Value[0].GetString() ?? ""),
                };
        }
        var episodes = store.Episodes();
        if (episodes.Count == 0) throw new Core.Errors.ToolSharpException($"{database}: no finished episodes yet");
        return SweepSummary.Build(store.GetManifest("sweep") ?? Path.GetFileNameWithoutExtension(database), episodes, options);
    }

    /// <summary>Writes the HTML report to <paramref name="htmlPath"/> (when given) and summary.json into <paramref name="directory"/> (when given).</summary>
    public static void Write(CliContext ctx, ResultsStore store, SweepSummary summary, string? htmlPath, string? directory)
    {
        if (htmlPath is not null)
        {
            var manifest = store.GetManifest("manifest");
            var pretty = manifest is null ? null : JsonSerializer.Serialize(JsonValues.Parse(manifest), JsonValues.IndentedOptions);
            File.WriteAllText(htmlPath, HtmlReport.Render(summary, pretty));
            ctx.Err.WriteLine($"wrote {htmlPath}");
        }
        if (directory is not null)
        {
            File.WriteAllText(Path.Combine(directory, "summary.json"), summary.ToJson(indented: true));
            ctx.Err.WriteLine($"wrote {Path.Combine(directory, "summary.json")}");
        }
    }
}
