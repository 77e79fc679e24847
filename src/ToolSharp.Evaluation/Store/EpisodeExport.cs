using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;

namespace ToolSharp.Evaluation.Store;

/// <summary>The episode exports of <c>toolsharp report --export</c>: JSON lines with steps and transcripts, or CSV without them.</summary>
/// <remarks>
/// A row is the JSON form of <see cref="StoredEpisode"/> (snake_case) with the factor levels as top-level keys after
/// <c>model</c> and <c>environment</c>; a CSV line holds the same scalars in the same order, so both exports have the
/// same columns. Flags (<c>correct</c>, <c>tokens_estimated</c>) are written as 1/0.
/// </remarks>
public static class EpisodeExport
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>One export row: the episode's columns with its factor levels inserted after the environment.</summary>
    public static JsonObject Row(StoredEpisode episode)
    {
        var row = JsonSerializer.SerializeToNode(episode, Options)!.AsObject();
        var at = row.IndexOf("environment") + 1;
        foreach (var (factor, level) in episode.Factors) row.Insert(at++, factor, level);
        return row;
    }

    public static void WriteJsonl(TextWriter output, IEnumerable<StoredEpisode> episodes)
    {
        foreach (var e in episodes) output.WriteLine(Row(e).ToJsonString(Options));
    }

    /// <summary>RFC 4180 CSV (LF line ends; fields with a comma, quote or line break quoted): a header of model,
    /// environment, <paramref name="factorNames"/> and the episode columns, then one line per episode.</summary>
    public static void WriteCsv(TextWriter output, IReadOnlyList<string> factorNames, IEnumerable<StoredEpisode> episodes)
    {
        using var csv = CsvWriter.Create(output, CsvOptions, leaveOpen: true);
        var blank = new StoredEpisode { Model = "", Environment = "", Factors = factorNames.ToDictionary(f => f, _ => ""), ConfigHash = "", TaskId = "" };
        var columns = Row(blank).Where(kv => kv.Value is not (JsonObject or JsonArray)).Select(kv => kv.Key).ToArray();
        csv.WriteHeader(columns);
        foreach (var e in episodes)
        {
            var row = Row(e);
            csv.WriteRecord(columns.Select(c => Cell(row[c])).ToArray());
        }
    }

    private static readonly CsvWriterOptions CsvOptions = new() { NewLine = "\n" };

    private static string Cell(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(),
    };
}
