using ToolSharp.Core.Messages;
using ToolSharp.Environments.Episodes;

namespace ToolSharp.Environments.Scoring;

/// <summary>Scores 1 when the final answer's number (see <see cref="NumericAnswer"/>) equals the task's expected number exactly.</summary>
public sealed class NumericAnswerScorer : IEpisodeScorer
{
    public static NumericAnswerScorer Instance { get; } = new();

    public EpisodeScore Score(EnvironmentTask task, Conversation transcript)
    {
        var text = FinalAnswer.Text(transcript);
        if (text is null) return EpisodeScore.Binary(false, task.ExpectedAnswer, null, "no final answer: the assistant wrote no text");
        if (!NumericAnswer.TryExtract(text, out var value, out var source))
            return EpisodeScore.Binary(false, task.ExpectedAnswer, null, "no number in the final answer");
        var got = value.ToDecimalString(10);
        var correct = NumericAnswer.Same(task.ExpectedAnswer, value);
        var how = source switch
        {
            NumericAnswer.Source.AnswerMarker => "from 'Answer:'",
            NumericAnswer.Source.HashMarker => "from '####'",
            NumericAnswer.Source.Boxed => "from \\boxed{}",
            _ => "last number in the answer (no 'Answer:' marker)",
        };
        return EpisodeScore.Binary(correct, task.ExpectedAnswer, got, (correct ? "correct, " : "wrong, ") + how);
    }
}
