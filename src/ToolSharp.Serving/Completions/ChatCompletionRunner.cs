using System.Threading.Channels;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Randomness;
using ToolSharp.Core.Tools;
using ToolSharp.Models.Generation;
using ToolSharp.Serving.Requests;

namespace ToolSharp.Serving.Completions;

/// <summary>Answers chat completion requests on a <see cref="ServedModel"/>: renders the messages and tools with the
/// model's chat format, queues the generation on the continuous batcher, and reads the reply back into content and
/// tool calls with the same format.</summary>
public sealed class ChatCompletionRunner(ServedModel model)
{
    private readonly SeededRandom _seeds = new((ulong)Environment.TickCount64 ^ 0x5EEDUL);
    private readonly Lock _seedLock = new();
    private long _calls;

    /// <summary>Renders and queues a request; the returned task completes with the reply. Refusals (a bad request, a
    /// full queue) throw here, before anything is sent back. With <paramref name="stream"/>, each sampled token's
    /// releasable text is written to it as it is generated, and it is completed when generation ends.</summary>
    /// <exception cref="RequestException">The model is unknown or the prompt does not fit.</exception>
    /// <exception cref="GenerationQueueFullException">Every slot is busy and the queue is full.</exception>
    public Task<ChatCompletion> Start(ChatCompletionRequest request, ChannelWriter<StreamPiece>? stream, CancellationToken cancellation)
    {
        if (request.Model != model.Name)
            throw new RequestException($"model: expected {model.Name} (the model this server serves), found '{request.Model}'", "model", "model_not_found");
        var renderer = model.Renderer;
        var tools = request.ToolChoice == ToolChoiceMode.None ? [] : request.Conversation.Tools;
        var visible = request.Conversation.WithTools(tools);
        var prompt = renderer.Prompt(visible);
        var forced = request.ToolChoice switch
        {
            ToolChoiceMode.Required => ForcedCallPrefix.Required(renderer, visible, prompt),
            ToolChoiceMode.Function => ForcedCallPrefix.Function(renderer, visible, prompt, request.ToolChoiceName!),
            _ => [],
        };
        int[] input = [.. prompt, .. forced];
        if (input.Length >= model.MaxTotalTokens)
            throw new RequestException($"messages: the prompt is {input.Length} tokens, and this model takes at most {model.MaxTotalTokens} in all (prompt and reply)", "messages", "context_length_exceeded");

        var parse = tools.Count > 0;
        var markers = parse ? Markers(renderer, visible, prompt) : [];
        var releaser = new TextReleaser(request.Stop, markers, trimmed: parse);
        var logprobs = request.LogProbs ? new List<TokenLogProbs>() : null;
        var generated = new List<int>();
        var stopAt = -1;
        var generation = new GenerationRequest(
            new GenerationLimits(request.MaxTokens ?? model.Defaults.MaxNewTokens, renderer.StopTokens, MaxTotalLength: model.MaxTotalTokens),
            new SamplingOptions(request.Temperature ?? 1f, 0, request.TopP ?? 1f))
        {
            TopLogProbs = request.TopLogProbs,
            StopWhen = request.Stop.Count == 0 ? null : tokens =>
            {
                stopAt = FirstStop(renderer.Decode(WithoutEnd(tokens)), request.Stop);
                return stopAt >= 0;
            },
            OnToken = token =>
            {
                generated.Add(token.Token);
                TokenLogProbs? entry = null;
                if (logprobs is not null)
                {
                    entry = new TokenLogProbs(renderer.Decode([token.Token]), token.LogProb,
                        token.Alternatives.Select(a => (renderer.Decode([a.Token]), a.LogProb)).ToList());
                    logprobs.Add(entry);
                }
                if (stream is null) return;
                // A forced reply opens with a call: all of it is the parser's, sent when the reply is done.
                var delta = forced.Length > 0 ? "" : releaser.Next(renderer.Decode(WithoutEnd(generated)));
                if (delta.Length > 0 || entry is not null) stream.TryWrite(new StreamPiece(delta, entry));
            },
        };
        var sequence = model.Batcher.Start(input, request.Seed ?? NextSeed());
        Task<GeneratedSegment> call;
        try
        {
            call = model.Batcher.GenerateAsync(sequence, generation, cancellation);
        }
        catch
        {
            model.Batcher.Release(sequence);
            throw;
        }
        Interlocked.Increment(ref _calls);
        return Finish(call, sequence, request, tools, forced, input.Length, logprobs, releaser, stream, () => stopAt);
    }

    /// <summary>Requests answered or in flight since the start.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    private async Task<ChatCompletion> Finish(Task<GeneratedSegment> call, int sequence, ChatCompletionRequest request, IReadOnlyList<ToolSpec> tools,
        int[] forced, int promptTokens, List<TokenLogProbs>? logprobs, TextReleaser releaser, ChannelWriter<StreamPiece>? stream, Func<int> stopAt)
    {
        GeneratedSegment segment;
        try
        {
            segment = await call.ConfigureAwait(false);
        }
        finally
        {
            model.Batcher.Release(sequence);
            stream?.TryComplete();
        }
        var renderer = model.Renderer;
        var output = WithoutEnd([.. forced, .. segment.Tokens]);
        var cut = stopAt();
        if (cut >= 0) output = Prefix(output, forced.Length, cut);

        var parsed = tools.Count > 0 ? renderer.Parse(output, tools) : null;
        Message message;
        if (parsed is null) message = Message.Assistant(renderer.Decode(output));
        // As vLLM and llama-server do: a reply with a call that cannot be read comes back as the text the model wrote,
        // with no calls (OpenAI's format has no place for a parse error).
        else if (parsed.UnreadableCalls.Count > 0) message = Message.Assistant(renderer.Decode(output).Trim());
        else
        {
            // Ids number calls by assistant turn, as ToolSharp's episode driver does: unique within a conversation, which is
            // what links results to calls, and the same transcript whether a model is evaluated in-process or served.
            var turn = request.Conversation.Messages.Count(m => m.Role == ChatRole.Assistant);
            var calls = parsed.Calls.Select((c, i) => c.WithId($"call_{turn}_{i}")).ToList();
            if (!request.ParallelToolCalls && calls.Count > 1) calls = calls[..1];
            message = Message.Assistant(parsed.Content.Length == 0 && calls.Count > 0 ? null : parsed.Content, calls, parsed.Reasoning);
        }
        var finish = segment.StopReason switch
        {
            StopReason.MaxNewTokens or StopReason.MaxLength when cut < 0 => "length",
            _ when message.ToolCalls.Count > 0 => "tool_calls",
            _ => "stop",
        };
        return new ChatCompletion(message, finish, promptTokens, segment.Tokens.Length, logprobs, releaser.Released);
    }

    /// <summary>The longest prefix of <paramref name="output"/> (keeping the forced tokens) whose generated text ends at or before <paramref name="cut"/>.</summary>
    private int[] Prefix(int[] output, int forced, int cut)
    {
        var keep = output.Length;
        while (keep > forced && model.Renderer.Decode(output[forced..keep]).Length > cut) keep--;
        return output[..keep];
    }

    /// <summary>The generated ids without the end-of-turn token that closes them (the chat format's, not text).</summary>
    private int[] WithoutEnd(IReadOnlyList<int> tokens) =>
        tokens.Count > 0 && tokens[^1] == model.Renderer.EndOfTurn ? [.. tokens.Take(tokens.Count - 1)] : [.. tokens];

    private static int FirstStop(string text, IReadOnlyList<string> stops)
    {
        var first = -1;
        foreach (var s in stops)
        {
            var at = text.IndexOf(s, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first)) first = at;
        }
        return first;
    }

    /// <summary>Text where the parser takes over from streaming: the chat format's call opening and a reasoning block.</summary>
    private static IReadOnlyList<string> Markers(Inference.Rendering.IRolloutRenderer renderer, Conversation visible, int[] prompt)
    {
        var opening = ForcedCallPrefix.Required(renderer, visible, prompt);
        var markers = new List<string> { "<think>" };
        if (opening.Length > 0) markers.Add(renderer.Decode(opening[..1]));
        return markers;
    }

    private ulong NextSeed()
    {
        lock (_seedLock) return _seeds.NextUInt64();
    }
}
