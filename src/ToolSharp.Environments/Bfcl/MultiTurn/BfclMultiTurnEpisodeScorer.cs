using System.Text.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Environments.Episodes;

namespace ToolSharp.Environments.Bfcl.MultiTurn;

/// <summary>Scores one BFCL multi-turn episode with BFCL's checker on the calls its steps ran (not on the transcript,
/// which also holds responses BFCL would not decode).</summary>
public sealed class BfclMultiTurnEpisodeScorer(BfclMultiTurnSteps steps, BfclMultiTurnRewardMode rewardMode) : IEpisodeScorer
{
    public EpisodeScore Score(EnvironmentTask task, Conversation transcript)
    {
        var episode = steps.Episode;
        var verdict = episode.Score();
        var turns = episode.TurnCount;
        var reward = verdict.Valid ? 1.0
            : rewardMode == BfclMultiTurnRewardMode.PerTurn && verdict.Turn is { } failed && turns > 0 ? (double)failed / turns
            : 0.0;
        var got = JsonSerializer.Serialize(episode.DecodedCalls);
        var details = verdict.Valid ? "valid" : $"{verdict.ErrorType} (turn {verdict.Turn?.ToString() ?? "-"}): {verdict.Message}";
        return new EpisodeScore(reward, verdict.Valid, task.ExpectedAnswer, got, details);
    }
}
