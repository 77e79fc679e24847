using ToolSharp.Core.WireFormats;
using ToolSharp.Core.Json;
using ToolSharp.Environments.Episodes;

namespace ToolSharp.Evaluation.Agent;

/// <summary>A finished episode: score, how it ended, token and call counts, timings, every step and the transcript.</summary>
public sealed record EpisodeRecord
{
    public required string TaskId { get; init; }

    public string Split { get; init; } = "";

    public double Reward { get; init; }

    public bool Correct { get; init; }

    public string Expected { get; init; } = "";

    public string? Got { get; init; }

    /// <summary>The scorer's explanation (e.g. a BFCL error type).</summary>
    public string Details { get; init; } = "";

    /// <summary>How the episode ended: the wire name of an <see cref="EpisodeEnding"/> (<c>answer</c>, <c>max_turns</c>, <c>tool_budget</c>, <c>turn_limit</c>, <c>max_tokens</c>, <c>context_full</c>).</summary>
    public string Ending { get; init; } = "";

    public int Turns { get; init; }

    /// <summary>Tool calls attempted, malformed ones included.</summary>
    public int ToolCalls { get; init; }

    public int FailedToolCalls { get; init; }

    /// <summary>Calls the model wrote that could not be parsed or validated before execution.</summary>
    public int MalformedCalls { get; init; }

    public long PromptTokens { get; init; }

    public long CompletionTokens { get; init; }

    /// <summary>Prompt tokens a prefix-caching server must still prefill (see <see cref="Efficiency.UncachedPromptTokens"/>).</summary>
    public long UncachedPromptTokens { get; init; }

    public bool TokensEstimated { get; init; }

    public double LatencyMilliseconds { get; init; }

    public IReadOnlyList<StepRecord> Steps { get; init; } = [];

    /// <summary>The full conversation (OpenAI chat JSON), before any history policy.</summary>
    public string TranscriptJson { get; init; } = "";

    /// <summary>Prefill-token equivalents with the given decode weight (see <see cref="Efficiency"/>).</summary>
    public double Pte(double decodeWeight = Efficiency.DefaultDecodeWeight) => UncachedPromptTokens + decodeWeight * CompletionTokens;

    /// <summary>The record of a finished episode: the driver's score, ending, calls and transcript with the recorded steps.</summary>
    public static EpisodeRecord From(EpisodeDriver driver, IReadOnlyList<StepRecord> steps, TimeSpan latency)
    {
        var score = driver.Score();
        return new EpisodeRecord
        {
            TaskId = driver.Episode.Task.Id,
            Split = driver.Episode.Task.Split,
            Reward = score.Reward,
            Correct = score.Correct,
            Expected = score.Expected,
            Got = score.Got,
            Details = score.Details,
            Ending = driver.Ending?.WireName() ?? "",
            Turns = driver.Turns,
            ToolCalls = steps.Sum(s => s.Calls.Count),
            FailedToolCalls = driver.Episode.ToolCalls.FailedCount,
            MalformedCalls = driver.MalformedCalls,
            PromptTokens = steps.Sum(s => (long)s.PromptTokens),
            CompletionTokens = steps.Sum(s => (long)s.CompletionTokens),
            UncachedPromptTokens = Efficiency.UncachedPromptTokens(steps),
            TokensEstimated = steps.Any(s => s.TokensEstimated),
            LatencyMilliseconds = latency.TotalMilliseconds,
            Steps = steps,
            TranscriptJson = OpenAiChatJson.ToJson(driver.Transcript),
        };
    }
}
