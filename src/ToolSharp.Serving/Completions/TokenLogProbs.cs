namespace ToolSharp.Serving.Completions;

/// <summary>One generated token in OpenAI's <c>logprobs.content</c>: its text, log-prob and the most likely alternatives.</summary>
public sealed record TokenLogProbs(string Token, float LogProb, IReadOnlyList<(string Token, float LogProb)> Top);
