using ToolSharp.Core.Formats;
using ToolSharp.Core.History;
using ToolSharp.Core.Messages;
using ToolSharp.Environments.Catalog;
using ToolSharp.Environments.Episodes;
using ToolSharp.Inference.Rendering;
using ToolSharp.Inference.Rollouts;
using ToolSharp.Testing;
using ToolSharp.Text.Builtin;

namespace ToolSharp.Inference.Tests.Rollouts;

/// <summary>Rollouts whose view re-renders the prompt each turn record what the model was fed segment by segment: a new
/// segment wherever the new prompt does not extend the sequence, the same segment where it does.</summary>
public class RolloutSegmentsTests
{
    private static readonly IEnvironment Env = EnvironmentCatalog.Create("arith-memory:turns=2-3");
    private static readonly BuiltinRolloutRenderer Renderer = BuiltinRolloutRenderer.Instance;
    private const int Tasks = 4;

    /// <summary>A rollout of train task <paramref name="index"/> whose "model" writes the demonstration's assistant turns in order.</summary>
    private static Rollout Run(int index, ConversationView view)
    {
        var task = Env.GetTask("train", index);
        var demo = ((IDemonstrationSource)Env).Demonstration(task, "").Messages.Where(m => m.Role == ChatRole.Assistant).ToList();
        var turn = 0;
        var session = new ScriptedSession(_ => Body(demo[Math.Min(turn++, demo.Count - 1)]));
        var worker = new RolloutWorker(_ => session, Renderer, Env, new RolloutSettings { Instructions = "", View = view, MaxNewTokensPerTurn = 200, MaxTotalTokens = 4000 });
        var rollout = worker.Run([new RolloutRequest(task, 1, 7)])[0][0];
        rollout.Correct.ShouldBeTrue($"{task.Id}: {rollout.Score.Details}");
        return rollout;
    }

    private static string Body(Message assistant)
    {
        var text = BuiltinChatFormat.Instance.RenderText(new Conversation([assistant]));
        return text[BuiltinTokenizer.AssistantRole.Length..^BuiltinTokenizer.End.Length];
    }

    [Fact]
    public void A_packed_rollout_has_one_segment_per_turn_each_the_renderers_prompt_for_that_turn_then_the_generated_tokens()
    {
        var view = new ConversationView(KeepAllPolicy.Instance, MultiTurnConstruction.Packed, ToolCallFormats.Hermes);
        var checkedSegments = 0;
        for (var index = 0; index < Tasks; index++)
        {
            var rollout = Run(index, view);
            var messages = rollout.Driver.Transcript.Messages;
            var assistants = Enumerable.Range(0, messages.Count).Where(i => messages[i].Role == ChatRole.Assistant).ToList();
            rollout.Turns.Count.ShouldBeGreaterThan(2, "arith-memory's demonstrations call tools over several user turns");
            rollout.Segments.Count.ShouldBe(rollout.Turns.Count, "a packed prompt never extends the sequence before it");
            rollout.TokenLevel.ShouldBeFalse();
            rollout.Segments[0].Start.ShouldBe(0);
            rollout.Segments[^1].End.ShouldBe(rollout.Tokens.Length);
            rollout.PromptLength.ShouldBe(rollout.Segments[0].PromptLength);
            for (var k = 0; k < rollout.Segments.Count; k++)
            {
                var segment = rollout.Segments[k];
                if (k > 0) segment.Start.ShouldBe(rollout.Segments[k - 1].End, "segments follow one another");
                var prompt = Renderer.Prompt(view.Apply(rollout.Driver.Transcript.WithMessages([.. messages.Take(assistants[k])])));
                segment.Slice(rollout.Tokens).Take(segment.PromptLength).ShouldBe(prompt, $"{rollout.Task.Id} segment {k}: the turn's re-rendered prompt, token for token");
                var generated = segment.Slice(rollout.Tokens).Skip(segment.PromptLength).ToArray();
                Renderer.Decode(generated).ShouldBe(Body(messages[assistants[k]]) + BuiltinTokenizer.End, $"{rollout.Task.Id} segment {k}: then exactly the turn the model wrote");
                segment.Slice(rollout.LossMask).ShouldBe([.. Enumerable.Repeat(0f, segment.PromptLength), .. Enumerable.Repeat(1f, generated.Length)], "the loss mask covers exactly the generated tokens");
                rollout.Turns[k].PromptTokens.ShouldBe(segment.PromptLength);
                segment.Slice(rollout.PostTool).Take(segment.PromptLength).ShouldAllBe(p => !p);
                segment.Slice(rollout.PostTool).Skip(segment.PromptLength).ShouldAllBe(p => p == (messages[assistants[k] - 1].Role == ChatRole.Tool), "post-tool flags mark the turns after a tool result");
                checkedSegments++;
            }
            rollout.GeneratedTokens.ShouldBe(rollout.Turns.Sum(t => t.CompletionTokens));
        }
        checkedSegments.ShouldBeGreaterThan(3 * Tasks);
    }

    [Fact]
    public void A_re_rendered_prompt_that_extends_the_sequence_continues_its_segment_and_equals_the_append_only_rollout()
    {
        // The scripted turns carry no reasoning, so dropping earlier reasoning changes nothing: every re-rendered prompt
        // extends the sequence, the rollout stays one segment, token for token the append-only one.
        var dropReasoning = new ConversationView(DropEarlierReasoningPolicy.Instance, MultiTurnConstruction.Native);
        for (var index = 0; index < Tasks; index++)
        {
            var appendOnly = Run(index, ConversationView.Default);
            var rerendered = Run(index, dropReasoning);
            appendOnly.Segments.ShouldBe([new RolloutSegment(0, appendOnly.Tokens.Length, appendOnly.PromptLength)]);
            rerendered.Segments.ShouldBe(appendOnly.Segments);
            rerendered.TokenLevel.ShouldBeTrue();
            rerendered.Tokens.ShouldBe(appendOnly.Tokens);
            rerendered.LossMask.ShouldBe(appendOnly.LossMask);
            rerendered.PostTool.ShouldBe(appendOnly.PostTool);
        }
    }

    [Fact]
    public void A_window_policy_starts_a_segment_only_where_the_window_drops_messages()
    {
        var view = new ConversationView(new WindowPolicy(1), MultiTurnConstruction.Native);
        var restarts = 0;
        for (var index = 0; index < Tasks; index++)
        {
            var rollout = Run(index, view);
            var messages = rollout.Driver.Transcript.Messages;
            var assistants = Enumerable.Range(0, messages.Count).Where(i => messages[i].Role == ChatRole.Assistant).ToList();
            // The oracle: each turn's prompt rendered through the window; a turn continues the sequence when its prompt
            // extends what the model has seen and written so far, and starts a new one otherwise.
            var sequences = new List<List<int>>();
            for (var k = 0; k < assistants.Count; k++)
            {
                var prompt = Renderer.Prompt(view.Apply(rollout.Driver.Transcript.WithMessages([.. messages.Take(assistants[k])])));
                var current = sequences.LastOrDefault();
                if (current is not null && prompt.Length > current.Count && prompt.Take(current.Count).SequenceEqual(current)) current.AddRange(prompt.Skip(current.Count));
                else sequences.Add([.. prompt]);
                sequences[^1].AddRange(BuiltinTokenizer.Instance.Encode(Body(messages[assistants[k]])).Append(BuiltinTokenizer.Instance.Id(BuiltinTokenizer.End)));
            }
            rollout.Segments.Select(s => s.Slice(rollout.Tokens)).ShouldBe(sequences.Select(q => q.ToArray()), $"{rollout.Task.Id}: segment by segment");
            rollout.Segments.Count.ShouldBeLessThan(rollout.Turns.Count, "within one unit the window keeps the prompt growing");
            rollout.GeneratedTokens.ShouldBe(rollout.Turns.Sum(t => t.CompletionTokens));
            restarts += rollout.Segments.Count - 1;
        }
        restarts.ShouldBeGreaterThan(0, "the window drops messages somewhere");
    }
}
