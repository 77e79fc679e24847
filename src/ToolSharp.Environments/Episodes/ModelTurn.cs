using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;

namespace ToolSharp.Environments.Episodes;

/// <summary>One assistant turn as a model produced it, handed to <see cref="EpisodeDriver.SubmitAsync"/>.</summary>
/// <param name="Message">The assistant message with every call that could be read.</param>
/// <param name="ParseErrors">Calls the model wrote that could not be read; each costs a call and is answered with its error.</param>
/// <param name="RawText">The text the model generated, recorded as the arguments of a call that could not be read.</param>
/// <param name="Cut">Set when generation was cut before the turn ended — by the turn's token limit
/// (<see cref="EpisodeEnding.MaxTokens"/>, finish reason <c>length</c>) or the context (<see cref="EpisodeEnding.ContextFull"/>):
/// the episode ends so, and the turn's calls do not run.</param>
public sealed record ModelTurn(Message Message, IReadOnlyList<ToolCallError> ParseErrors, string? RawText = null, EpisodeEnding? Cut = null)
{
    public static ModelTurn Of(Message message) => new(message, []);
}
