using System.Text.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Environments.Episodes;

namespace ToolSharp.Environments.Scoring;

/// <summary>Scores a multi-turn episode answer by answer: the number each user turn's last assistant text gives against
/// that turn's expected number. Reward = the fraction of turns answered right; correct = all of them.</summary>
/// <remarks>The task's <see cref="EnvironmentTask.Data"/> holds <c>{"answers": ["12", "57", …]}</c>, one per user turn.
/// Partial credit keeps GRPO's group variance alive where a model gets the first turns right and a later one wrong.</remarks>
public sealed class TurnAnswersScorer : IEpisodeScorer
{
    public static TurnAnswersScorer Instance { get; } = new();

    public EpisodeScore Score(EnvironmentTask task, Conversation transcript)
    {
        var expected = task.Data.GetProperty("answers").EnumerateArray().Select(a => a.GetString()!).ToList();
        var answers = AnswerPerTurn(transcript);
        var got = new List<string>();
        var wrong = new List<string>();
        for (var t = 0; t < expected.Count; t++)
        {
            var text = t < answers.Count ? answers[t] : null;
            if (text is null) { got.Add("-"); wrong.Add($"turn {t + 1}: no answer (expected {expected[t]})"); continue; }
            if (!NumericAnswer.TryExtract(text, out var value, out _)) { got.Add("?"); wrong.Add($"turn {t + 1}: no number (expected {expected[t]})"); continue; }
            var shown = value.ToDecimalString(10);
            got.Add(shown);
            if (!NumericAnswer.Same(expected[t], value)) wrong.Add($"turn {t + 1}: {shown}, expected {expected[t]}");
        }
        var right = expected.Count - wrong.Count;
        var details = wrong.Count == 0 ? $"all {expected.Count} answers correct" : string.Join("; ", wrong);
        return new EpisodeScore((double)right / expected.Count, wrong.Count == 0, task.ExpectedAnswer, string.Join(", ", got), details);
    }

    /// <summary>For each user turn in order, the content of the last assistant message with text before the next user
    /// turn, or null when the assistant wrote none in that turn.</summary>
    public static IReadOnlyList<string?> AnswerPerTurn(Conversation transcript)
    {
        var answers = new List<string?>();
        foreach (var m in transcript.Messages)
        {
            if (m.Role == ChatRole.User) answers.Add(null);
            else if (m.Role == ChatRole.Assistant && answers.Count > 0 && !string.IsNullOrWhiteSpace(m.Content)) answers[^1] = m.Content;
        }
        return answers;
    }

    /// <summary>The <see cref="EnvironmentTask.Data"/> this scorer reads.</summary>
    public static JsonElement Data(IEnumerable<string> answers) => Core.Json.JsonValues.Build(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("answers");
        foreach (var a in answers) w.WriteStringValue(a);
        w.WriteEndArray();
        w.WriteEndObject();
    });
}
