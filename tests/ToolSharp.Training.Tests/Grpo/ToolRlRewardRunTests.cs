using ToolSharp.Environments.Bfcl.Leaderboard;
using ToolSharp.Environments.Catalog;
using ToolSharp.Core.Errors;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Bfcl;
using ToolSharp.Environments.Episodes;
using ToolSharp.Environments.Tools;
using ToolSharp.Models;
using ToolSharp.Tensors.Kernels;
using ToolSharp.Testing;
using ToolSharp.Training.Grpo;
using ToolSharp.Training.Pipeline;
using ToolSharp.Inference.Rendering;
using ToolSharp.Training.Rewards;
using ToolSharp.Inference.Rollouts;
using ToolSharp.Training.Tests.Support;

namespace ToolSharp.Training.Tests.Grpo;

/// <summary>rl.toolrl switched on through the config for one GRPO step on a BFCL task, rewards recomputed from the rollouts.</summary>
/// <remarks>
/// The policy is a micro model warmed up on hand-written answers to <c>simple_python_1</c> ("factorial of 5"): the
/// exact call, a wrong value, a wrong parameter name, a wrong function and plain text, so one sampled group spans
/// ToolRL's graded rewards rather than a single value.
/// </remarks>
[Collection("EngineThreads")]
public class ToolRlRewardRunTests(ToolRlRewardRunTests.WarmModel warm) : IClassFixture<ToolRlRewardRunTests.WarmModel>
{
    private const string TaskId = "simple_python_1";
    private const int Group = 8;

    private static readonly IRolloutRenderer Renderer = BuiltinRolloutRenderer.Instance;

    /// <summary>One prompt, n = m = 8, one assistant turn (BFCL scores the first response), no filter, no validation.</summary>
    private static RlOptions Options(params string[] overrides) => TrainConfigFile.Load(null,
    [
        "threads=1", "rl.seed=7", "rl.steps=1", "rl.prompts_per_step=1", "rl.prompt_pool=1", $"rl.rollouts_per_prompt={Group}",
        "rl.update_rollouts_per_prompt=null", "rl.prompt_filter=null", "rl.validation_tasks=1", "rl.validate_every=0", "rl.warmup_steps=0",
        "rl.rollout.max_turns=1", "rl.rollout.max_new_tokens_per_turn=96", "rl.rollout.max_total_tokens=600",
        .. overrides,
    ]).Rl;

    private static GrpoTrainer Trainer(Transformer model, IEnvironment environment, RlOptions options)
    {
        EngineThreads.Set(1);
        return new GrpoTrainer(model, Renderer, environment, options);
    }

    /// <summary>All calls the rollout's assistant turns made; null when nothing parsed and the output was malformed (ToolRL's "unparseable").</summary>
    private static IReadOnlyList<ToolCall>? Predicted(Rollout t)
    {
        var calls = t.Driver.Transcript.Messages.Where(m => m.Role == ChatRole.Assistant).SelectMany(m => m.ToolCalls).ToList();
        return calls.Count == 0 && !t.WellFormed ? null : calls;
    }

    [RequiresDataFact(BfclEnvironment.DataFolder)]
    public void Toolrl_rewards_are_the_toolrl_reward_of_each_rollouts_calls()
    {
        var env = new SingleTaskBfcl(TaskId);
        // Written out rather than taken from the environment, so the reward is checked against the task itself.
        IReadOnlyList<ToolCall> reference = [new ToolCall("math.factorial", JsonValues.Parse("""{"number": 5}"""))];
        env.ReferenceCalls(env.GetTask("train", 0)).ShouldBe(reference);

        var trainer = Trainer(warm.Load(), env, Options("rl.toolrl={}"));
        trainer.Options.ToolRl.ShouldBe(new ToolRlOptions(FormatReward: true));
        var metrics = trainer.TrainStep();
        var rollouts = trainer.LastSamples;
        var sources = trainer.LastRollouts;

        rollouts.Count.ShouldBe(Group);
        sources.Count.ShouldBe(Group);
        metrics.Rollouts.ShouldBe(Group);
        var expected = sources.Select(t => ToolRlReward.Total(reference, Predicted(t), t.WellFormed)).ToList();
        var described = string.Join("\n", rollouts.Zip(sources).Select(p => $"{p.First.Reward}: {(p.Second.WellFormed ? "" : "malformed ")}{BfclGroundTruth.Describe(Predicted(p.Second) ?? [])} <- {Renderer.Decode(p.First.Tokens[p.First.PromptLength..])}"));
        rollouts.Select(t => t.Reward).ShouldBe(expected, described);
        rollouts.ShouldAllBe(t => t.Reward >= -3 && t.Reward <= 4);
        metrics.RewardMean.ShouldBe(expected.Average(), 1e-12);
        double.IsFinite(metrics.Loss).ShouldBeTrue();

        // The warm-up makes the group informative: full marks, partial credit and the environment's binary reward disagree.
        rollouts.Select(t => t.Reward).Distinct().Count().ShouldBeGreaterThanOrEqualTo(3, described);
        rollouts.ShouldContain(t => t.Reward == ToolRlReward.FormatMax + ToolRlReward.CorrectMax && t.Correct, described);
        rollouts.ShouldContain(t => !t.Correct && t.Reward > ToolRlReward.FormatMax + ToolRlReward.CorrectMin, described);

        // Same model and seed without the format part: the same rollouts, each reward lower by exactly its format reward.
        var noFormat = Trainer(warm.Load(), env, Options("rl.toolrl.format_reward=false"));
        noFormat.TrainStep();
        noFormat.LastSamples.Select(t => t.Tokens).ShouldBe(rollouts.Select(t => t.Tokens));
        noFormat.LastSamples.Select(t => t.Reward).ShouldBe(rollouts.Zip(sources).Select(p => p.First.Reward - (p.Second.WellFormed ? ToolRlReward.FormatMax : 0)));

        // And with rl.toolrl off the trainer pays the environment's 0/1 score.
        var plain = Trainer(warm.Load(), env, Options());
        plain.TrainStep();
        plain.LastSamples.Select(t => t.Reward).ShouldBe(sources.Select(t => t.Score.Reward));
    }

    [Fact]
    public void An_environment_without_reference_calls_is_refused_at_construction_naming_it_and_the_option()
    {
        var model = Transformer.Create(WarmModel.Config, 5);
        var arith = EnvironmentCatalog.Create("arith");
        var e = Should.Throw<ToolSharpException>(() => Trainer(model, arith, Options("rl.toolrl={}")));
        e.Message.ShouldBe($"rl.toolrl needs an environment with reference calls, such as bfcl; '{arith.Name}' has none");
        e.Message.ShouldContain("'arith");

        var both = Should.Throw<ToolSharpException>(() => Trainer(model, new SingleTaskBfcl(TaskId), Options("rl.toolrl={}", "rl.otc={}")));
        both.Message.ShouldContain("rl.toolrl and rl.otc");

        Trainer(model, arith, Options()).Options.ToolRl.ShouldBeNull(); // off by default: arith trains as before
    }

    [Fact]
    public void Splits_are_chosen_in_the_config_and_a_missing_one_is_named_with_the_splits_that_exist()
    {
        var model = Transformer.Create(WarmModel.Config, 5);
        var arith = EnvironmentCatalog.Create("arith");
        var e = Should.Throw<ToolSharpException>(() => Trainer(model, arith, Options("rl.train_split=simple_python")));
        e.Message.ShouldBe($"rl.train_split: environment '{arith.Name}' has no split 'simple_python' (splits: train, test)");
        Should.Throw<ToolSharpException>(() => Trainer(model, arith, Options("rl.validation_split=dev"))).Message.ShouldStartWith("rl.validation_split:");
        Trainer(model, arith, Options("rl.train_split=test", "rl.validation_split=train")).Options.TrainSplit.ShouldBe("test");
    }

    /// <summary>One BFCL task as the train and test split GrpoTrainer draws from (BFCL itself splits by category only); BFCL's episodes and reference calls.</summary>
    private sealed class SingleTaskBfcl(string taskId) : IEnvironment, IReferenceCalls
    {
        private readonly BfclEnvironment _bfcl = new();

        public string Name => $"bfcl:{taskId}";

        public string Version => _bfcl.Version;

        public string Description => "one BFCL task for tests";

        public string DefaultInstructions => _bfcl.DefaultInstructions;

        public IReadOnlyList<ToolSpec> ToolSpecs => [];

        public IReadOnlyList<string> Splits => ["train", "test"];

        public int? TaskCount(string split) => 1;

        // BFCL data is read only here, so the data-free test can construct one.
        public EnvironmentTask GetTask(string split, int index) => _bfcl.FindTask(taskId)!;

        public EnvironmentTask? FindTask(string id) => id == taskId ? _bfcl.FindTask(id) : null;

        public Episode CreateEpisode(EnvironmentTask task, ToolExecutionOptions? options = null) => _bfcl.CreateEpisode(task, options);

        public IReadOnlyList<ToolCall>? ReferenceCalls(EnvironmentTask task) => _bfcl.ReferenceCalls(task);
    }

    /// <summary>A micro model warmed up once per test class on answers to the task; each test loads a fresh copy.</summary>
    public sealed class WarmModel : WarmedMicroModel
    {
        public WarmModel()
        {
            if (SharedData.MissingReason(BfclEnvironment.DataFolder) is not null) return; // the data-free test needs no warm-up
            Train(Answers(), steps: 60, batchTokens: 2048);
        }

        /// <summary>The exact call, a wrong value, a wrong parameter name, a wrong function, and text without a call.</summary>
        private static IEnumerable<Conversation> Answers()
        {
            var env = new SingleTaskBfcl(TaskId);
            var episode = env.CreateEpisode(env.GetTask("train", 0));
            Conversation Answer(Message reply) => new(episode.Start("").Messages.Append(reply).ToList(), episode.ToolSpecs);
            Message Call(string name, string args) => Message.Assistant(null, [ToolCall.FromJson(name, args, "call_1_0")]);
            yield return Answer(Call("math.factorial", """{"number": 5}"""));
            yield return Answer(Call("math.factorial", """{"number": 6}"""));
            yield return Answer(Call("math.factorial", """{"n": 5}"""));
            yield return Answer(Call("math.gamma", """{"number": 5}"""));
            yield return Answer(Message.Assistant("The factorial of 5 is 120."));
        }
    }
}
