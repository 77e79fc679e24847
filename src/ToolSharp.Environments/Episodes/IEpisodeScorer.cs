using ToolSharp.Core.Messages;

namespace ToolSharp.Environments.Episodes;

/// <summary>Scores a finished episode from its transcript (and, for stateful environments, the state the scorer is bound to).</summary>
/// <remarks>Scoring reads model output as data: a transcript without an answer scores 0 with an explanation, never throws.</remarks>
public interface IEpisodeScorer
{
    EpisodeScore Score(EnvironmentTask task, Conversation transcript);
}
