using ToolSharp.Core.WireFormats;
using System.Text.Json.Nodes;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Environments.Episodes;
using ToolSharp.Models;
using ToolSharp.Models.Generation;
using ToolSharp.Text.Builtin;

namespace ToolSharp.Cli.LlamaCpp;

/// <summary>Compares a built-in model with the same model's GGUF served by llama.cpp: prompt rendering, tokenisation, greedy tokens.</summary>
/// <remarks>
/// For each task the opening conversation is rendered by llama.cpp's Jinja engine from the GGUF's chat template
/// (<c>/apply-template</c>, with the messages and tools as an OpenAI client sends them) and by
/// <see cref="BuiltinChatFormat"/>; the text is tokenised by both (<c>/tokenize</c>); and both engines continue the
/// same token prompt greedily (<c>/completion</c> with token ids). When the built-in model's first turn calls tools, the
/// calls are executed and the second turn is compared the same way, so tool calls and tool results are covered too.
/// </remarks>
public static class LlamaCppComparison
{
    /// <summary>One compared generation; <see cref="FirstDifference"/> is -1 when the token sequences are equal; <see cref="Error"/> is
    /// llama-server's refusal, if it gave none (it answers HTTP 500 when a completion is not valid UTF-8).</summary>
    public sealed record Sequence(string TaskId, int Turn, bool TemplateEqual, bool TokensEqual, int[] Ours, int[] Theirs, float[] OurLogProbs, float[] TheirLogProbs, int FirstDifference, string? Error = null);

    public sealed record Report(IReadOnlyList<Sequence> Sequences)
    {
        public int TemplateEqual => Sequences.Count(s => s.TemplateEqual);

        public int TokenizationEqual => Sequences.Count(s => s.TokensEqual);

        public int GreedyEqual => Sequences.Count(s => s.FirstDifference < 0);

        public int TokensCompared => Sequences.Sum(s => s.FirstDifference < 0 ? s.Ours.Length : s.FirstDifference + 1);

        /// <summary>|log p(ours) − log p(llama.cpp)| of each generated token both engines produced identically, with where it is.</summary>
        public IReadOnlyList<(Sequence Sequence, int Index, double Difference)> LogProbComparisons => Sequences.SelectMany(s =>
            Enumerable.Range(0, Math.Min(s.FirstDifference < 0 ? s.Ours.Length : s.FirstDifference, Math.Min(s.OurLogProbs.Length, s.TheirLogProbs.Length)))
                .Select(i => (s, i, Math.Abs((double)s.OurLogProbs[i] - s.TheirLogProbs[i])))).ToList();

        public IReadOnlyList<double> LogProbDifferences => LogProbComparisons.Select(c => c.Difference).ToList();

        /// <summary>The largest of <see cref="LogProbDifferences"/>.</summary>
        public double MaxLogProbDifference => LogProbDifferences.DefaultIfEmpty(0).Max();

        /// <summary>The median of <see cref="LogProbDifferences"/>.</summary>
        public double MedianLogProbDifference => LogProbDifferences.Count == 0 ? 0 : LogProbDifferences.Order().ElementAt(LogProbDifferences.Count / 2);

        public bool AllEqual => Sequences.All(s => s.TemplateEqual && s.TokensEqual && s.FirstDifference < 0);
    }

    public static Report Run(Transformer model, LlamaServer server, IEnvironment environment, string split, int tasks, string instructions, int maxTokens, Action<string>? progress = null)
    {
        var format = BuiltinChatFormat.Instance;
        var sequences = new List<Sequence>();
        for (var i = 0; i < tasks; i++)
        {
            var task = environment.GetTask(split, i);
            var episode = environment.CreateEpisode(task);
            var conversation = episode.Start(instructions);
            var first = Compare(model, server, conversation, task.Id, 1, maxTokens);
            sequences.Add(first);
            var parsed = format.Parse(first.Ours, conversation.Tools);
            if (parsed.Calls.Count > 0)
            {
                // Ids as the evaluation's agent loop gives them, so the messages are those an OpenAI client sends.
                var calls = parsed.Calls.Select((c, k) => c.Id is null ? c.WithId($"call_1_{k}") : c).ToList();
                var next = conversation.Append(parsed.ToAssistantMessage() with { ToolCalls = calls });
                foreach (var call in calls)
                    next = next.Append(Message.FromToolResult(episode.ExecuteAsync(call).GetAwaiter().GetResult()));
                sequences.Add(Compare(model, server, next, task.Id, 2, maxTokens));
            }
            progress?.Invoke($"task {i + 1}/{tasks}: {sequences.Count(s => s.FirstDifference < 0)}/{sequences.Count} greedy sequences equal");
        }
        return new Report(sequences);
    }

    private static Sequence Compare(Transformer model, LlamaServer server, Conversation conversation, string taskId, int turn, int maxTokens)
    {
        var format = BuiltinChatFormat.Instance;
        var wire = JsonNode.Parse(OpenAiChatJson.ToJson(conversation))!.AsObject();
        var theirText = server.ApplyTemplate(wire["messages"]!.DeepClone(), wire["tools"]?.DeepClone());
        var ourText = format.RenderText(conversation, addGenerationPrompt: true);
        var prompt = format.Prompt(conversation);
        var tokensEqual = server.Tokenize(ourText).SequenceEqual(prompt);

        var session = new GenerationSession(model, SamplingOptions.Greedy);
        var id = session.Start(prompt, 0);
        var segment = session.Generate([id], new GenerationLimits(maxTokens, new HashSet<int> { format.EndOfTurn }, MaxTotalLength: model.Config.MaxPositionEmbeddings))[0];
        int[] theirs;
        float[] theirLogProbs;
        string? error = null;
        try
        {
            (theirs, theirLogProbs, _) = server.Greedy(prompt, maxTokens);
        }
        catch (Core.Errors.ToolSharpException ex)
        {
            (theirs, theirLogProbs, error) = ([], [], ex.Message);
        }
        var ours = segment.Tokens;
        var difference = Enumerable.Range(0, Math.Max(ours.Length, theirs.Length)).FirstOrDefault(k => k >= ours.Length || k >= theirs.Length || ours[k] != theirs[k], -1);
        return new Sequence(taskId, turn, theirText == ourText, tokensEqual, ours, theirs, segment.LogProbs, theirLogProbs, difference, error);
    }
}
