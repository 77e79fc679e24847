using ToolSharp.Core.Errors;
using ToolSharp.Core.History;
using ToolSharp.Environments.Catalog;
using ToolSharp.Environments.Episodes;
using ToolSharp.Inference.Rendering;
using ToolSharp.Inference.Rollouts;
using ToolSharp.Models;
using ToolSharp.Models.Configuration;
using ToolSharp.Tensors.Optim;
using ToolSharp.Text.Builtin;
using ToolSharp.Training.Grpo;
using ToolSharp.Training.Pipeline;
using ToolSharp.Training.Samples;

namespace ToolSharp.Training.Tests.Rollouts;

/// <summary>RL on packed rollouts of a model that has memorised one tool-using solution: its first turn calls the tool,
/// so every rollout re-renders its prompt at least once and has at least two segments.</summary>
[Collection("EngineThreads")]
public class SegmentTrainingTests
{
    private const string EnvSpec = "arith:levels=1,digits=2-2";
    private static readonly IEnvironment Env = EnvironmentCatalog.Create(EnvSpec);

    private static Transformer MemorisedModel() => Support.MemorisedModel.Create(Env);

    private static RlOptions Options(params string[] overrides) => TrainConfigFile.Load(null,
    [
        $"environment='{EnvSpec}'", "rl.seed=5", "rl.prompts_per_step=1", "rl.prompt_pool=1", "rl.rollouts_per_prompt=4", "rl.update_rollouts_per_prompt=2",
        "rl.prompt_filter=null", "rl.validation_tasks=1", "rl.validate_every=0", "rl.instructions=''",
        "rl.rollout.max_turns=3", "rl.rollout.max_new_tokens_per_turn=64", "rl.rollout.max_total_tokens=600", "rl.rollout.construction=packed",
        .. overrides,
    ]).Rl;

    [Fact]
    public void The_updaters_log_probs_on_each_segment_equal_the_sampling_log_probs()
    {
        var model = MemorisedModel();
        var options = Options();
        var worker = new RolloutWorker(model, BuiltinRolloutRenderer.Instance, Env, options.Rollout.Settings("", validation: false));
        var rollouts = worker.Run([new RolloutRequest(Env.GetTask("train", 0), 4, 11)])[0];
        var samples = rollouts.Select(r => Sample.From(r, 0)).ToList();
        samples.ShouldAllBe(s => s.Sequences.Count >= 2, "the first turn's call makes the packed prompt re-render");
        samples.Sum(s => s.Sequences.Skip(1).Sum(seg => seg.Slice(s.LossMask).Sum())).ShouldBeGreaterThan(0, "later segments hold sampled tokens too");

        var updater = new PolicyUpdater(model, new AdamW(model.Parameters), options.Update with { Temperature = options.Rollout.SamplingOrDefault.Temperature });
        var recomputed = updater.LogProbs(model, samples);
        var compared = 0;
        for (var s = 0; s < samples.Count; s++)
            for (var t = 0; t < samples[s].Tokens.Length; t++)
            {
                if (samples[s].LossMask[t] == 0) continue;
                recomputed[s][t].ShouldBe(samples[s].OldLogProbs[t], 1e-4f, $"sample {s} token {t}");
                compared++;
            }
        compared.ShouldBe(samples.Sum(s => s.GeneratedTokens));
    }

    [Fact]
    public void A_packed_step_counts_rollouts_not_segments_and_trains_on_every_segment()
    {
        var trainer = new GrpoTrainer(MemorisedModel(), BuiltinRolloutRenderer.Instance, Env, Options());
        trainer.ValidationSettings.View.Construction.ShouldBe(MultiTurnConstruction.Packed, "validation sees what training sees");
        var metrics = trainer.TrainStep();
        trainer.LastSamples.Count.ShouldBe(4);
        trainer.LastSamples.ShouldAllBe(s => s.Sequences.Count >= 2);
        metrics.Rollouts.ShouldBe(4);
        metrics.RolloutsTrained.ShouldBe(2, "m = 2 rollouts per group");
        metrics.TokensGenerated.ShouldBe(trainer.LastRollouts.Sum(r => r.GeneratedTokens));
        trainer.LastTrained.ShouldAllBe(s => s.TokenAdvantages!.Where((_, t) => s.LossMask[t] == 0).All(a => a == 0));
        double.IsFinite(metrics.Loss).ShouldBeTrue();
    }

    [Fact]
    public void A_resumed_packed_run_continues_bit_identically()
    {
        using var dir = new ToolSharp.Testing.TempDirectory();
        var options = Options("rl.steps=3");
        var straight = new GrpoTrainer(MemorisedModel(), BuiltinRolloutRenderer.Instance, Env, options);
        straight.Run();

        var store = new ToolSharp.Models.Checkpoints.CheckpointStore(dir.Path);
        var first = new GrpoTrainer(MemorisedModel(), BuiltinRolloutRenderer.Instance, Env, options);
        first.TrainStep();
        first.LastSamples.ShouldContain(s => s.Sequences.Count >= 2);
        var checkpoint = first.SaveCheckpoint(store);
        var resumed = new GrpoTrainer(Transformer.Create(first.Model.Config, 99), BuiltinRolloutRenderer.Instance, Env, options);
        resumed.Resume(checkpoint);
        resumed.Run();

        resumed.Step.ShouldBe(3);
        resumed.Model.Parameters.SelectMany(p => p.ToArray()).ToArray().ShouldBe(straight.Model.Parameters.SelectMany(p => p.ToArray()).ToArray());
        resumed.LastSamples.Select(s => s.Tokens).ShouldBe(straight.LastSamples.Select(s => s.Tokens));
    }

    [Fact]
    public void Arpo_with_a_re_rendered_view_is_refused_naming_the_settings()
    {
        var error = Should.Throw<ToolSharpException>(() => new GrpoTrainer(Transformer.Create(ModelPresets.Tiny(BuiltinTokenizer.Size) with { NumLayers = 1 }, 1),
            BuiltinRolloutRenderer.Instance, Env, Options("rl.arpo={}")));
        error.Message.ShouldBe("rl.arpo branches append-only rollouts: it needs rl.rollout.history=keep and rl.rollout.construction=native, found history keep and construction packed");
    }
}
