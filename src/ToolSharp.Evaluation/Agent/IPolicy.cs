namespace ToolSharp.Evaluation.Agent;

/// <summary>A model that produces the next assistant turn: an endpoint, an <c>IChatClient</c>, or a script.</summary>
/// <remarks>Implementations are safe to call concurrently (a sweep runs several episodes at once), never throw on
/// malformed model text (it comes back as <see cref="PolicyTurn.ParseErrors"/>), and throw <see cref="PolicyException"/>
/// when the backend itself fails after its retries, so the runner can leave the episode for a later resume.</remarks>
public interface IPolicy : IModelBackend
{
    Task<PolicyTurn> NextAsync(PolicyRequest request, CancellationToken cancellationToken = default);
}
