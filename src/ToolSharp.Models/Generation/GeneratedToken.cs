namespace ToolSharp.Models.Generation;

/// <summary>One sampled token as it is produced: its log-prob and the distribution's entropy, and the most likely
/// alternatives when the request asked for them (<see cref="GenerationRequest.TopLogProbs"/>).</summary>
public sealed record GeneratedToken(int Token, float LogProb, float Entropy, IReadOnlyList<TokenLogProb> Alternatives);
