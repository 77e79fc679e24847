using ToolSharp.Environments.Catalog;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Randomness;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Arith;
using ToolSharp.Environments.Calculator;
using ToolSharp.Environments.Episodes;
using ToolSharp.Models;
using ToolSharp.Tensors.Kernels;
using ToolSharp.Training.Rewards;
using ToolSharp.Training.Advantages;
using ToolSharp.Training.Grpo;
using ToolSharp.Training.Metrics;
using ToolSharp.Training.Samples;
using ToolSharp.Training.Selection;
using ToolSharp.Training.Pipeline;
using ToolSharp.Inference.Rendering;
using ToolSharp.Inference.Rollouts;
using ToolSharp.Training.Tests.Support;

namespace ToolSharp.Training.Tests.Pipeline;

/// <summary>TAO-RL, OTC and ARPO switched on through the config for a few GRPO steps of a tiny job, checked against that job's own rollouts.</summary>
[Collection("EngineThreads")]
public class AgenticMethodsRunTests(AgenticMethodsRunTests.WarmModel warm) : IClassFixture<AgenticMethodsRunTests.WarmModel>
{
    private const string EnvSpec = "arith:levels=1,digits=2-2";
    private const int Group = 8;

    private static readonly IEnvironment Env = EnvironmentCatalog.Create(EnvSpec);
    private static readonly IRolloutRenderer Renderer = BuiltinRolloutRenderer.Instance;

    /// <summary>One prompt (train task 0) per step, n = m = 8, no filter, no validation, a learning rate that moves the model.</summary>
    private static RlOptions Options(params string[] overrides) => TrainConfigFile.Load(null,
    [
        $"environment='{EnvSpec}'", "threads=1",
        "rl.seed=5", "rl.prompts_per_step=1", "rl.prompt_pool=1", $"rl.rollouts_per_prompt={Group}", "rl.update_rollouts_per_prompt=null",
        "rl.prompt_filter=null", "rl.validation_tasks=1", "rl.validate_every=0", "rl.learning_rate=0.0005", "rl.warmup_steps=0", "rl.schedule=constant",
        "rl.rollout.max_turns=3", "rl.rollout.max_new_tokens_per_turn=80", "rl.rollout.max_total_tokens=400",
        .. overrides,
    ]).Rl;

    private GrpoTrainer Trainer(RlOptions options)
    {
        EngineThreads.Set(1);
        return new GrpoTrainer(warm.Load(), Renderer, Env, options);
    }

    // Each step's group is re-run beforehand with a separate worker on
    // the trainer's current weights and the seed the trainer derives for (seed, step, round 0, prompt 0); generation is
    // deterministic, so this is exactly the group the step trains on (ShouldDescribe checks it against the step's metrics).

    /// <summary>The group the trainer's next step will roll out, reproduced on its current weights.</summary>
    private static IReadOnlyList<Rollout> NextGroup(GrpoTrainer trainer)
    {
        var o = trainer.Options;
        var seed = SeededRandom.For(o.Seed, trainer.Step, 0, 0).NextUInt64();
        var worker = new RolloutWorker(trainer.Model, Renderer, Env, o.Rollout.Settings(o.Instructions, validation: false, o.Arpo?.Branching));
        return worker.Run([new RolloutRequest(Env.GetTask("train", 0), o.Arpo?.Budget ?? o.RolloutsPerPrompt, seed)])[0];
    }

    /// <summary>Fails unless <paramref name="metrics"/> describe exactly the rollouts of <paramref name="group"/>.</summary>
    private static void ShouldDescribe(StepMetrics metrics, IReadOnlyList<Rollout> group)
    {
        metrics.Rollouts.ShouldBe(group.Count);
        metrics.TokensGenerated.ShouldBe(group.Sum(t => t.GeneratedTokens));
        metrics.ToolCallsMean.ShouldBe(group.Average(t => t.ToolCalls), 1e-12);
        metrics.TrainAccuracy.ShouldBe(group.Average(t => t.Correct ? 1.0 : 0.0), 1e-12);
    }

    /// <summary>OTC-GRPO as the paper writes it: α·r_tool·r_correct, with n the fewest calls among the group's correct rollouts.</summary>
    private static double[] OtcRewards(IReadOnlyList<Rollout> group, double alpha = 1, double c = 1)
    {
        var correct = group.Where(t => t.Correct).ToList();
        if (correct.Count == 0) return new double[group.Count];
        var n = correct.Min(t => t.ToolCalls);
        return group.Select(t =>
        {
            if (!t.Correct) return 0.0;
            var m = t.ToolCalls;
            var rTool = (m, n) switch
            {
                (0, 0) => 1.0,
                (_, 0) => Math.Cos(m * Math.PI / (2 * m + c)),
                _ => Math.Sin(2.0 * n * m / (m + n) * Math.PI / (2 * n)),
            };
            return alpha * rTool;
        }).ToArray();
    }

    [Fact]
    public void Otc_rewards_follow_each_groups_tool_call_counts_and_differ_from_the_plain_reward()
    {
        var otc = Trainer(Options("rl.otc={}", "rl.steps=3"));
        otc.Options.Otc.ShouldBe(new OtcOptions());
        var plain = Trainer(Options("rl.steps=3"));
        var sawDifferentCounts = false;
        for (var step = 0; step < 3; step++)
        {
            var group = NextGroup(otc);
            var metrics = otc.TrainStep();

            ShouldDescribe(metrics, group);
            metrics.RewardMean.ShouldBe(OtcRewards(group).Average(), 1e-12,
                $"step {step}, calls (+ correct): {string.Join(" ", group.Select(t => $"{t.ToolCalls}{(t.Correct ? "+" : "-")}"))}");
            double.IsFinite(metrics.Loss).ShouldBeTrue();
            // Where correct rollouts used different numbers of calls, OTC pays less than the environment does.
            if (group.Where(t => t.Correct).Select(t => t.ToolCalls).Distinct().Count() > 1)
            {
                sawDifferentCounts = true;
                metrics.RewardMean.ShouldBeLessThan(group.Average(t => t.Score.Reward) - 1e-6);
            }

            if (step == 0)
            {
                // Plain GRPO's first step rolls out the same group and rewards it with the environment's score.
                var plainMetrics = plain.TrainStep();
                ShouldDescribe(plainMetrics, group);
                plainMetrics.RewardMean.ShouldBe(group.Average(t => t.Score.Reward), 1e-12);
                Math.Abs(plainMetrics.RewardMean - metrics.RewardMean).ShouldBeGreaterThan(1e-6);
                Math.Abs(plainMetrics.Loss - metrics.Loss).ShouldBeGreaterThan(1e-9);
            }
        }
        sawDifferentCounts.ShouldBeTrue("the warm-up should give correct rollouts with different tool-call counts in one group");
    }

    [Fact]
    public void Tao_drops_rollouts_whose_tool_calls_all_failed_and_plain_grpo_trains_on_them()
    {
        var tao = Trainer(Options("rl.tao.filter_zero_variance=false", "rl.steps=3"));
        tao.Options.Tao.ShouldNotBeNull();
        var plain = Trainer(Options("rl.steps=3"));
        var filtered = 0;
        for (var step = 0; step < 3; step++)
        {
            var taoGroup = NextGroup(tao);
            var plainGroup = NextGroup(plain);
            var taoMetrics = tao.TrainStep();
            var plainMetrics = plain.TrainStep();

            ShouldDescribe(taoMetrics, taoGroup);
            ShouldDescribe(plainMetrics, plainGroup);
            var allFailed = taoGroup.Count(t => SampleSelection.AllToolCallsFailed(Sample.From(t, 0)));
            taoMetrics.FilteredAllFailed.ShouldBe(allFailed, $"step {step}");
            taoMetrics.RolloutsTrained.ShouldBe(Group - allFailed);
            plainMetrics.FilteredAllFailed.ShouldBe(0);
            plainMetrics.RolloutsTrained.ShouldBe(Group);
            double.IsFinite(taoMetrics.Loss).ShouldBeTrue();
            filtered += allFailed;
        }
        filtered.ShouldBeGreaterThan(0, "the warm-up should produce rollouts whose only tool call fails");
    }

    [Fact]
    public void Tao_drops_groups_whose_rewards_are_all_equal_without_refilling()
    {
        var tao = Trainer(Options("rl.tao.filter_all_failed=false", "rl.steps=3"));
        tao.Options.Tao!.FilterZeroVariance.ShouldBeTrue();
        var dropped = 0;
        for (var step = 0; step < 3; step++)
        {
            var group = NextGroup(tao);
            var metrics = tao.TrainStep();
            ShouldDescribe(metrics, group); // one round: nothing is refilled, unlike DAPO
            var zeroVariance = GroupAdvantages.IsZeroVariance(group.Select(t => t.Score.Reward).ToArray()); // the replayed group carries the environment reward
            metrics.ZeroVarianceGroups.ShouldBe(zeroVariance ? 1 : 0);
            metrics.RolloutsTrained.ShouldBe(zeroVariance ? 0 : Group, $"step {step}");
            if (zeroVariance) dropped++;
        }
        dropped.ShouldBeGreaterThan(0, "these seeds give a group whose rollouts all score the same");
    }

    [Fact]
    public void Tao_entropy_shaping_moves_the_loss_by_the_shaped_post_tool_advantages()
    {
        // Same model and seed, so the same rollouts and rewards; only the post-tool advantages differ.
        const double coefficient = 0.5;
        StepMetrics FirstStep(double c, out IReadOnlyList<Rollout> group)
        {
            var trainer = Trainer(Options("rl.tao.filter_all_failed=false", $"rl.tao.entropy_coefficient={c}", "rl.steps=1"));
            trainer.Options.Tao!.EntropyCoefficient.ShouldBe(c);
            group = NextGroup(trainer);
            return trainer.TrainStep();
        }
        var shaped = FirstStep(coefficient, out var group);
        var unshaped = FirstStep(0, out _);
        var unshapedAgain = FirstStep(0, out _);

        // Shaping needs post-tool tokens in rollouts with a non-zero advantage (rewards vary within the group).
        group.Any(t => t.PostTool.Any(p => p)).ShouldBeTrue();
        group.Select(t => t.Score.Reward).Distinct().Count().ShouldBeGreaterThan(1);
        ShouldDescribe(shaped, group);
        ShouldDescribe(unshaped, group);
        shaped.RewardMean.ShouldBe(unshaped.RewardMean);
        shaped.RolloutsTrained.ShouldBe(Group);
        unshaped.RolloutsTrained.ShouldBe(Group);
        unshapedAgain.Loss.ShouldBe(unshaped.Loss);
        unshapedAgain.GradNorm.ShouldBe(unshaped.GradNorm);

        // First update: the ratio is 1 up to kernel rounding, so the token-mean PPO loss is −Σ A_t / T and shaping
        // moves it by −Σ_post-tool (A'_t − A_t) / T with A'_t = A_t·(1 + c·(H_t − μ_H)/σ_H) (TAO-RL, μ and σ over all response tokens).
        var rewards = group.Select(t => t.Score.Reward).ToArray();
        var mean = rewards.Average();
        var std = Math.Sqrt(rewards.Sum(r => (r - mean) * (r - mean)) / (rewards.Length - 1));
        var advantages = rewards.Select(r => (r - mean) / (std + 1e-6)).ToArray();
        var entropies = group.SelectMany(t => t.Entropies.Where((_, i) => t.LossMask[i] > 0)).Select(h => (double)h).ToList();
        var muH = entropies.Average();
        var sigmaH = Math.Sqrt(entropies.Average(h => h * h) - muH * muH);
        var tokens = entropies.Count;
        var expectedUnshaped = -group.Select((t, s) => advantages[s] * t.GeneratedTokens).Sum() / tokens;
        unshaped.Loss.ShouldBe(expectedUnshaped, 1e-3 * Math.Abs(expectedUnshaped) + 1e-6);
        var expectedShift = -group.Select((t, s) => Enumerable.Range(0, t.Tokens.Length)
            .Where(i => t.LossMask[i] > 0 && t.PostTool[i])
            .Sum(i => advantages[s] * coefficient * (t.Entropies[i] - muH) / sigmaH)).Sum() / tokens;
        Math.Abs(expectedShift).ShouldBeGreaterThan(1e-4);
        (shaped.Loss - unshaped.Loss).ShouldBe(expectedShift, 1e-3 * Math.Abs(expectedShift) + 1e-6);
        Math.Abs(shaped.GradNorm - unshaped.GradNorm).ShouldBeGreaterThan(1e-7);
    }

    [Fact]
    public void Arpo_branches_after_tool_results_and_keeps_each_group_at_the_budget()
    {
        var trainer = Trainer(Options("rl.arpo.budget=8", "rl.arpo.global=4", "rl.arpo.branches=2", "rl.arpo.hard_attribution=true", "rl.steps=3"));
        trainer.Options.Arpo.ShouldBe(new ArpoOptions(Budget: 8, Global: 4, Branches: 2, HardAttribution: true));
        var branches = 0;
        for (var step = 0; step < 3; step++)
        {
            var group = NextGroup(trainer);
            var metrics = trainer.TrainStep();

            ShouldDescribe(metrics, group);
            group.Count.ShouldBe(8);
            group.Select(t => t.GroupIndex).ShouldBe(Enumerable.Range(0, 8));
            metrics.RolloutsTrained.ShouldBe(8);
            foreach (var b in group.Where(t => t.BranchOf is not null))
            {
                var parent = group.Single(t => t.GroupIndex == b.BranchOf);
                b.Tokens.Take(b.SharedPrefix).ShouldBe(parent.Tokens.Take(b.SharedPrefix));
                b.LossMask[b.SharedPrefix - 1].ShouldBe(0f, "a branch restarts the turn right after a tool result");
            }
            branches += group.Count(t => t.BranchOf is not null);
            double.IsFinite(metrics.Loss).ShouldBeTrue();
            double.IsFinite(metrics.GradNorm).ShouldBeTrue();
        }
        branches.ShouldBeGreaterThan(0, "rollouts reach tool results, so with τ = 0.5 some should branch");
        trainer.Step.ShouldBe(3);
    }

    [Fact]
    public void Arpo_step_metrics_report_the_branches_the_step_made()
    {
        var trainer = Trainer(Options("rl.arpo.budget=8", "rl.arpo.global=4", "rl.steps=3"));
        var reported = new List<int>();
        var made = new List<int>();
        for (var step = 0; step < 3; step++)
        {
            made.Add(NextGroup(trainer).Count(t => t.BranchOf is not null));
            reported.Add(trainer.TrainStep().Branches);
        }
        made.Sum().ShouldBeGreaterThan(0);
        reported.ShouldBe(made, "StepMetrics.Branches should count the rollouts that branched in the step");
    }

    /// <summary>A micro model warmed up once per test class on hand-written solutions of train task 0; each test loads a fresh copy.</summary>
    /// <remarks>An untrained micro model almost never reaches a tool result (its calls rarely even open a tag), and the
    /// environment's own demonstrations all make exactly one call; these five solutions (answer directly, one call, two
    /// calls, a failing call, a call then a wrong answer) make sampled groups mix tool-call counts, failed calls, tool
    /// results and right and wrong answers.</remarks>
    public sealed class WarmModel : WarmedMicroModel
    {
        public WarmModel() => Train(Solutions(), steps: 100, batchTokens: 1024);

        /// <summary>Task 0 answered directly, with one call, with two calls, after a failing call, and wrongly after a call.</summary>
        private static IEnumerable<Conversation> Solutions()
        {
            var task = Env.GetTask("train", 0);
            var expression = ((ArithEnvironment)Env).Problem("train", 0).Expression();
            var result = CalculatorTool.Evaluate(expression);
            var user = Message.User(task.Question);
            var answer = Message.Assistant($"Answer: {result}");
            var wrong = Message.Assistant($"Answer: {long.Parse(result, System.Globalization.CultureInfo.InvariantCulture) + 10}");
            var call = Call(expression, "call_1");
            var again = Call(expression, "call_2");
            var broken = Call(expression + ")", "call_1");
            var error = Env.CreateEpisode(task).ExecuteAsync(broken).GetAwaiter().GetResult();
            error.IsError.ShouldBeTrue();
            Conversation Solution(params Message[] turns) => Demonstrations.Build("", Env.ToolSpecs, [user, .. turns]);
            yield return Solution(answer);
            yield return Solution(Message.Assistant(null, [call]), Message.Tool(call.Id, call.Name, result), answer);
            yield return Solution(Message.Assistant(null, [call]), Message.Tool(call.Id, call.Name, result),
                Message.Assistant(null, [again]), Message.Tool(again.Id, again.Name, result), answer);
            yield return Solution(Message.Assistant(null, [broken]), Message.Tool(broken.Id, broken.Name, error.Content), answer);
            yield return Solution(Message.Assistant(null, [call]), Message.Tool(call.Id, call.Name, result), wrong);
        }

        private static ToolCall Call(string expression, string id) => new(CalculatorTool.Name, JsonValues.Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("expression", expression);
            w.WriteEndObject();
        }), id);
    }
}
