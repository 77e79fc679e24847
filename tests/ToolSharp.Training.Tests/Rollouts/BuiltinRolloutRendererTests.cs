using ToolSharp.Core.Messages;
using ToolSharp.Environments.Episodes;
using ToolSharp.Training.Rendering;

namespace ToolSharp.Training.Tests.Rollouts;

public class BuiltinRolloutRendererTests
{
    private static readonly BuiltinRolloutRenderer Renderer = BuiltinRolloutRenderer.Instance;

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(17)]
    public void Turn_by_turn_tokens_equal_the_demonstration_render(int index)
    {
        var env = EnvironmentCatalog.Create("arith:levels=1-3");
        var demo = ((IDemonstrationSource)env).Demonstration(env.GetTask("train", index));
        var full = Renderer.Demonstration(demo);

        var messages = demo.Messages;
        var firstAssistant = messages.ToList().FindIndex(m => m.Role == ChatRole.Assistant);
        var tokens = new List<int>(Renderer.Prompt(demo.WithMessages(messages.Take(firstAssistant).ToList())));
        var mask = Enumerable.Repeat(0f, tokens.Count).ToList();
        for (var i = firstAssistant; i < messages.Count;)
        {
            // the assistant's own tokens: what the demonstration's mask marks as trained from here on
            var assistantTokens = full.Tokens.Skip(tokens.Count).TakeWhile((_, j) => full.LossMask[tokens.Count + j] > 0).ToArray();
            assistantTokens.ShouldNotBeEmpty($"message {i}: no trained tokens at position {tokens.Count}");
            assistantTokens[^1].ShouldBeOneOf([.. Renderer.StopTokens], "an assistant turn ends at a stop token");
            var parsed = Renderer.Parse(assistantTokens, env.ToolSpecs);
            parsed.IsSuccess.ShouldBeTrue(Renderer.Decode(assistantTokens));
            parsed.Calls.Count.ShouldBe(messages[i].ToolCalls?.Count ?? 0);
            tokens.AddRange(assistantTokens);
            mask.AddRange(assistantTokens.Select(_ => 1f));
            i++;
            var results = new List<Core.Tools.ToolResult>();
            while (i < messages.Count && messages[i].Role == ChatRole.Tool)
            {
                results.Add(new Core.Tools.ToolResult(messages[i].ToolCallId!, messages[i].Name ?? "", messages[i].Content ?? ""));
                i++;
            }
            if (results.Count == 0) break;
            var toolTurn = Renderer.ToolTurn(results);
            tokens.AddRange(toolTurn);
            mask.AddRange(toolTurn.Select(_ => 0f));
        }
        Renderer.Decode(tokens).ShouldBe(Renderer.Decode(full.Tokens));
        tokens.ShouldBe(full.Tokens);
        mask.ShouldBe(full.LossMask);
    }
}
