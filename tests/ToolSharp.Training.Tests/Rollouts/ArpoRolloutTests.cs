using ToolSharp.Environments.Catalog;
using ToolSharp.Environments.Episodes;
using ToolSharp.Models;
using ToolSharp.Training.Advantages;
using ToolSharp.Training.Grpo;
using ToolSharp.Training.Metrics;
using ToolSharp.Inference.Rendering;
using ToolSharp.Inference.Rollouts;
using ToolSharp.Training.Tests.Support;

namespace ToolSharp.Training.Tests.Rollouts;

/// <summary>ARPO rollouts on a model that has memorised one tool-using solution, so every rollout reaches a tool result.</summary>
[Collection("EngineThreads")]
public class ArpoRolloutTests
{
    private static readonly IEnvironment Env = EnvironmentCatalog.Create("arith:levels=1,digits=2-2");

    private static Transformer MemorisedModel() => Support.MemorisedModel.Create(Env);

    [Fact]
    public void Branches_restart_the_post_tool_turn_from_the_parents_prefix_and_the_budget_is_used_exactly()
    {
        var model = MemorisedModel();
        // τ = −1 makes every opportunity branch; budget 5 = 2 global + branches + global refill.
        var arpo = new ArpoOptions(Budget: 5, Global: 2, Branches: 2, Tau: -1);
        var worker = new RolloutWorker(model, BuiltinRolloutRenderer.Instance, Env, new RolloutOptions(MaxNewTokensPerTurn: 64, MaxTotalTokens: 400).Settings("", validation: false, arpo.Branching));
        var group = worker.Run([new RolloutRequest(Env.GetTask("train", 0), 5, 9)])[0];

        group.Count.ShouldBe(5);
        group.Select(t => t.GroupIndex).ShouldBe([0, 1, 2, 3, 4]);
        var branches = group.Where(t => t.BranchOf is not null).ToList();
        branches.ShouldNotBeEmpty();
        foreach (var b in branches)
        {
            var parent = group.Single(t => t.GroupIndex == b.BranchOf);
            parent.BranchOf.ShouldBeNull();
            b.SharedPrefix.ShouldBeGreaterThan(b.PromptLength);
            b.Tokens.Take(b.SharedPrefix).ShouldBe(parent.Tokens.Take(b.SharedPrefix));
            b.LossMask.Take(b.SharedPrefix).ShouldBe(parent.LossMask.Take(b.SharedPrefix));
            b.LossMask[b.SharedPrefix - 1].ShouldBe(0f, "a branch starts right after a tool result");
            b.ToolCalls.ShouldBeGreaterThanOrEqualTo(1);
        }
    }

    [Fact]
    public void Hard_attribution_gives_shared_tokens_the_family_mean()
    {
        var advantages = new double[] { 1.0, -1.0, 0.5 };
        var samples = new[]
        {
            Fake.Sample(length: 10, index: 0, advantage: advantages[0]),
            Fake.Sample(length: 9, index: 1, branchOf: 0, sharedPrefix: 6, advantage: advantages[1]),
            Fake.Sample(length: 8, index: 2, branchOf: 0, sharedPrefix: 4, advantage: advantages[2]),
        };
        var given = samples.Select((t, i) => Enumerable.Repeat((float)advantages[i], t.Tokens.Length).ToArray()).ToArray();
        var tokens = ArpoAttribution.Apply(samples, given);
        given[0][2].ShouldBe(1f, "the input arrays are left as they were");
        // tokens 2..3 are shared by all three; 4..5 by the parent and branch 1; the rest are each trajectory's own
        tokens[0][2].ShouldBe(0.5f / 3f + 0f, 1e-6f);
        tokens[0][4].ShouldBe(0f, 1e-6f);
        tokens[0][7].ShouldBe(1f);
        tokens[1][3].ShouldBe(0.5f / 3f, 1e-6f);
        tokens[1][5].ShouldBe(0f, 1e-6f);
        tokens[1][7].ShouldBe(-1f);
        tokens[2][2].ShouldBe(0.5f / 3f, 1e-6f);
        tokens[2][5].ShouldBe(0.5f);
    }
}
