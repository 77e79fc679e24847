using ToolSharp.Core.Messages;
using ToolSharp.Environments.Episodes;

namespace ToolSharp.Environments.Scoring;

/// <summary>Scores 1 when the final answer's number (see <see cref="NumericAnswer"/>) equals the task's expected number exactly.</summary>
public sealed class NumericAnswerScorer : IEpisodeScorer
{
    public static NumericAnswerScorer Instance { get; } = new();

    public EpisodeScore Score(EnvironmentTask task, Conversation transcript) =>
        ReferenceAnswerScorer.Score(task.ExpectedAnswer, [task.ExpectedAnswer], numeric: true, transcript);
}
