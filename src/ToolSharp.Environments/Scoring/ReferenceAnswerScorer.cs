using System.Text.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Environments.Episodes;

namespace ToolSharp.Environments.Scoring;

/// <summary>Scores the final answer against accepted reference forms: as a number (<see cref="NumericAnswer"/>) or as short text (<see cref="TextAnswer"/>).</summary>
/// <remarks>The task's <see cref="EnvironmentTask.Data"/> holds <c>{"accepted": [...], "numeric": bool}</c>.</remarks>
public sealed class ReferenceAnswerScorer : IEpisodeScorer
{
    public static ReferenceAnswerScorer Instance { get; } = new();

    public EpisodeScore Score(EnvironmentTask task, Conversation transcript)
    {
        var accepted = task.Data.GetProperty("accepted").EnumerateArray().Select(a => a.GetString()!).ToList();
        var numeric = task.Data.TryGetProperty("numeric", out var n) && n.ValueKind == JsonValueKind.True;
        return Score(task.ExpectedAnswer, accepted, numeric, transcript);
    }

    /// <summary>Scores a transcript's final answer against explicit accepted forms.</summary>
    public static EpisodeScore Score(string expected, IReadOnlyList<string> accepted, bool numeric, Conversation transcript)
    {
        var text = FinalAnswer.Text(transcript);
        if (text is null) return EpisodeScore.Binary(false, expected, null, "no final answer: the assistant wrote no text");
        if (numeric)
        {
            if (!NumericAnswer.TryExtract(text, out var value, out var source)) return EpisodeScore.Binary(false, expected, null, "no number in the final answer");
            var correct = accepted.Any(a => NumericAnswer.Same(a, value));
            var how = source switch
            {
                NumericAnswer.Source.AnswerMarker => "from 'Answer:'",
                NumericAnswer.Source.HashMarker => "from '####'",
                NumericAnswer.Source.Boxed => "from \\boxed{}",
                _ => "last number in the answer (no 'Answer:' marker)",
            };
            return EpisodeScore.Binary(correct, expected, value.ToDecimalString(10), (correct ? "correct, " : "wrong, ") + how);
        }
        var got = TextAnswer.Extract(text);
        var ok = TextAnswer.Matches(text, accepted);
        return EpisodeScore.Binary(ok, expected, got, ok ? "matches an accepted form" : $"expected one of: {string.Join(" | ", accepted)}");
    }
}
