namespace ToolSharp.Evaluation.Agent;

/// <summary>A model a sweep can evaluate: either a turn-at-a-time <see cref="IPolicy"/> (endpoints, chat clients) or an
/// <see cref="IEpisodeBackend"/> that runs whole batches of episodes itself (the built-in engine).</summary>
public interface IModelBackend
{
    PolicyIdentity Identity { get; }
}
