namespace ToolSharp.Evaluation.Store;

/// <summary>The identity of an episode in the results store: configuration hash, task id, seed, trial.</summary>
public readonly record struct EpisodeKey(string ConfigHash, string TaskId, int Seed, int Trial);
