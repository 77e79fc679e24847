using ToolSharp.Core.Messages;
using ToolSharp.Environments.Catalog;
using ToolSharp.Environments.Episodes;
using ToolSharp.Inference.Rendering;

namespace ToolSharp.Inference.Tests.Rendering;

public class BuiltinRolloutRendererTests
{
    private static readonly BuiltinRolloutRenderer Renderer = BuiltinRolloutRenderer.Instance;

    [Theory]
    [InlineData("arith:levels=1-3", 0)]
    [InlineData("arith:levels=1-3", 5)]
    [InlineData("arith:levels=1-3", 17)]
    [InlineData("arith-memory:turns=2-3", 0)]
    [InlineData("arith-memory:turns=2-3", 4)]
    public void Turn_by_turn_tokens_equal_the_demonstration_render(string spec, int index)
    {
        var env = EnvironmentCatalog.Create(spec);
        var demo = ((IDemonstrationSource)env).Demonstration(env.GetTask("train", index));
        var full = Renderer.Demonstration(demo);

        var messages = demo.Messages;
        var firstAssistant = messages.ToList().FindIndex(m => m.Role == ChatRole.Assistant);
        var tokens = new List<int>(Renderer.Prompt(demo.WithMessages(messages.Take(firstAssistant).ToList())));
        var mask = Enumerable.Repeat(0f, tokens.Count).ToList();
        var userTurnsCrossed = 0;
        for (var i = firstAssistant; i < messages.Count;)
        {
            // the assistant's own tokens: what the demonstration's mask marks as trained from here on
            var assistantTokens = full.Tokens.Skip(tokens.Count).TakeWhile((_, j) => full.LossMask[tokens.Count + j] > 0).ToArray();
            assistantTokens.ShouldNotBeEmpty($"message {i}: no trained tokens at position {tokens.Count}");
            assistantTokens[^1].ShouldBeOneOf([.. Renderer.StopTokens], "an assistant turn ends at a stop token");
            var parsed = Renderer.Parse(assistantTokens, env.ToolSpecs);
            parsed.IsSuccess.ShouldBeTrue(Renderer.Decode(assistantTokens));
            parsed.Calls.Count.ShouldBe(messages[i].ToolCalls.Count);
            tokens.AddRange(assistantTokens);
            mask.AddRange(assistantTokens.Select(_ => 1f));
            var next = i + 1;
            while (next < messages.Count && messages[next].Role != ChatRole.Assistant)
            {
                if (messages[next].Role == ChatRole.User) userTurnsCrossed++;
                next++;
            }
            if (next >= messages.Count) break;
            // what a rollout appends after the turn: tool results or the next user message, then the generation prompt
            var continuation = Renderer.Continuation(demo.WithMessages(messages.Take(next).ToList()), i + 1);
            tokens.AddRange(continuation);
            mask.AddRange(continuation.Select(_ => 0f));
            i = next;
        }
        Renderer.Decode(tokens).ShouldBe(Renderer.Decode(full.Tokens));
        tokens.ShouldBe(full.Tokens);
        mask.ShouldBe(full.LossMask);
        userTurnsCrossed.ShouldBe(env.GetTask("train", index).UserTurns.Count - 1);
    }
}
