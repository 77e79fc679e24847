using System.Text.Json;
using System.Text.Json.Serialization;

namespace ToolSharp.Training.Metrics;

/// <summary>Appends one JSON object per step to metrics.jsonl (RL: <see cref="StepMetrics"/>; warm-up:
/// <see cref="WarmupMetrics"/>); on resume, drops lines past the checkpoint's step so the file never holds a step twice.</summary>
public sealed class MetricsLog
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public MetricsLog(string path) => Path = path;

    public string Path { get; }

    public void Append<T>(T metrics)
    {
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        File.AppendAllText(Path, JsonSerializer.Serialize(metrics, Json) + "\n");
    }

    /// <summary>Keeps only lines with step ≤ <paramref name="step"/> (the state a checkpoint restores).</summary>
    public void TruncateAfter(long step)
    {
        if (!File.Exists(Path)) return;
        var kept = File.ReadLines(Path).Where(line =>
        {
            if (string.IsNullOrWhiteSpace(line)) return false;
            try { return JsonDocument.Parse(line).RootElement.GetProperty("step").GetInt64() <= step; }
            catch (JsonException) { return false; } // a line cut off by a kill is dropped
        }).ToList();
        File.WriteAllLines(Path, kept);
    }

    public static IReadOnlyList<StepMetrics> Read(string path) => Read<StepMetrics>(path);

    public static IReadOnlyList<T> Read<T>(string path) =>
        File.Exists(path)
            ? File.ReadLines(path).Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => JsonSerializer.Deserialize<T>(l, Json)!).ToList()
            : [];
}
