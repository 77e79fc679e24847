using System.Text.Json;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Text.Templates;

namespace ToolSharp.Inference.Rendering;

/// <summary>Replays a conversation the way a rollout builds it — the prompt before the first assistant turn, each
/// assistant turn's own tokens, the renderer's continuation after it — and compares the tokens with the renderer's
/// demonstration of the whole conversation, so warm-up and RL are known to train on the sequences rollouts produce.</summary>
public static class RolloutDrift
{
    /// <summary>Where the replayed tokens first differ from <see cref="IRolloutRenderer.Demonstration"/>, or
    /// <see cref="TemplateDrift.None"/>. The assistant turns' tokens are the demonstration's trained spans, in order.</summary>
    public static TemplateDrift Check(IRolloutRenderer renderer, Conversation conversation)
    {
        var demo = renderer.Demonstration(conversation);
        var messages = conversation.Messages;
        var assistants = Enumerable.Range(0, messages.Count).Where(i => messages[i].Role == ChatRole.Assistant).ToList();
        var spans = TrainedSpans(demo.LossMask);
        if (assistants.Count == 0) return TemplateDrift.None;
        if (spans.Count != assistants.Count)
            return new TemplateDrift(assistants[0], null, null, $"the demonstration trains {spans.Count} spans for {assistants.Count} assistant turns");

        var replay = new List<int>(renderer.Prompt(conversation.WithMessages([.. messages.Take(assistants[0])])));
        if (Differs(renderer, demo.Tokens, replay, 0, spans[0].Start, assistants[0], messages) is { } first) return first;
        for (var i = 0; i < assistants.Count; i++)
        {
            replay.AddRange(demo.Tokens[spans[i].Start..spans[i].End]);
            if (i + 1 == assistants.Count) break;
            var from = replay.Count;
            replay.AddRange(renderer.Continuation(conversation.WithMessages([.. messages.Take(assistants[i + 1])]), assistants[i] + 1));
            if (Differs(renderer, demo.Tokens, replay, from, spans[i + 1].Start, assistants[i] + 1, messages) is { } drift) return drift;
        }
        return TemplateDrift.None;
    }

    /// <summary>The [start, end) runs of mask 1.</summary>
    private static List<(int Start, int End)> TrainedSpans(float[] mask)
    {
        var spans = new List<(int, int)>();
        for (var i = 0; i < mask.Length; i++)
        {
            if (mask[i] <= 0) continue;
            var start = i;
            while (i < mask.Length && mask[i] > 0) i++;
            spans.Add((start, i));
        }
        return spans;
    }

    /// <summary>Compares replay[from..] with demo[from..end) (both must end at <paramref name="end"/>).</summary>
    private static TemplateDrift? Differs(IRolloutRenderer renderer, int[] demo, List<int> replay, int from, int end, int message, IReadOnlyList<Message> messages)
    {
        var n = Math.Max(end, replay.Count);
        for (var i = from; i < n; i++)
        {
            var expected = i < end ? demo[i] : (int?)null;
            var found = i < replay.Count ? replay[i] : (int?)null;
            if (expected == found) continue;
            var role = message < messages.Count ? messages[message].Role.ToWire() : "generation prompt";
            return new TemplateDrift(message, null, i,
                $"message {message} ({role}): token {i}: expected {Describe(renderer, expected)} (the demonstration), found {Describe(renderer, found)} (the rollout's prompt and continuations)");
        }
        return null;
    }

    private static string Describe(IRolloutRenderer renderer, int? id) =>
        id is { } t ? $"{t} {JsonSerializer.Serialize(renderer.Decode([t]), JsonValues.CompactOptions)}" : "end of sequence";
}
