using System.Text.Json.Nodes;
using ToolSharp.Core.Errors;
using ToolSharp.Environments.Catalog;
using ToolSharp.Environments.Episodes;
using ToolSharp.Inference.Policies;
using ToolSharp.Inference.Rendering;
using ToolSharp.Models;
using ToolSharp.Testing;
using ToolSharp.Text.Builtin;
using ToolSharp.Training.Pipeline;

namespace ToolSharp.Training.Tests.Pipeline;

/// <summary><c>toolsharp train --model DIR</c> on Hugging Face folders: a randomly initialised Qwen3-shaped model with the
/// real Qwen3 tokenizer warms up on demonstrations rendered through the chat template, runs GRPO steps, and the run
/// directory is again such a folder.</summary>
[Collection("EngineThreads")]
public sealed class HuggingFaceTrainingRunTests
{
    private const string Env = "arith:levels=1,digits=1-1";

    private static TrainConfig Config(string model) => TrainConfigFile.Load(null,
    [
        $"model='{model}'", $"environment='{Env}'", "seed=3", "threads=1",
        "warmup.demonstrations=4", "warmup.steps=2", "warmup.batch_tokens=512", "warmup.checkpoint_every=0", "warmup.warmup_steps=1", "warmup.probe_tasks=2",
        "rl.steps=2", "rl.prompts_per_step=1", "rl.rollouts_per_prompt=2", "rl.update_rollouts_per_prompt=2", "rl.prompt_pool=4",
        "rl.validation_tasks=1", "rl.validate_every=0", "rl.checkpoint_every=0",
        "rl.rollout.max_new_tokens_per_turn=8", "rl.rollout.max_total_tokens=640", "rl.rollout.max_turns=2",
    ]);

    [RequiresDataFact(HuggingFaceFolders.Qwen3Tokenizer)]
    public void A_qwen3_shaped_folder_trains_end_to_end_through_its_template_and_the_run_is_a_folder_again()
    {
        using var dir = new TempDirectory();
        var model = HuggingFaceFolders.Qwen3(dir.File("qwen3-micro"), HuggingFaceFolders.Qwen25Template, seed: 7);
        var status = new List<string>();
        var warmupLosses = new List<double>();
        var runDir = dir.File("run");
        var summary = new TrainingRun(Config(model), runDir) { OnStatus = status.Add, OnWarmupStep = p => warmupLosses.Add(p.Loss) }.Run();

        status.ShouldContain("chat template: turn-by-turn rollout tokens equal the full render");
        warmupLosses.Count.ShouldBe(2);
        warmupLosses.ShouldAllBe(l => l > 5, "a random model over 151,936 rows starts near ln(151936) = 11.9 on the template's tokens");
        summary.WarmupCopyAccuracy.ShouldNotBeNull("the copy probe finds Qwen3's digit tokens in the held-out demonstrations");
        summary.Steps.ShouldBe(2);
        summary.Rollouts.ShouldBe(4);
        summary.Parameters.ShouldBe(HuggingFaceFolders.Qwen3Config().ParameterCount);

        // The run directory holds the folder's tokenizer and template, so it is rendered like the original.
        File.ReadAllText(Path.Combine(runDir, "tokenizer.json")).ShouldBe(File.ReadAllText(Path.Combine(model, "tokenizer.json")));
        File.ReadAllText(Path.Combine(runDir, "chat_template.jinja")).ShouldBe(File.ReadAllText(Path.Combine(model, "chat_template.jinja")));
        BuiltinTokenizer.Matches(Path.Combine(runDir, "tokenizer.json")).ShouldBeFalse();
        var generation = JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, GenerationDefaults.FileName)))!;
        generation["max_new_tokens"]!.GetValue<int>().ShouldBe(8);
        var trained = BuiltinModelBackend.Load(runDir);
        trained.Renderer.ShouldBeOfType<ChatTemplateRolloutRenderer>();
        Transformer.Load(runDir).Parameters.Sum(p => (long)p.Length).ShouldBe(summary.Parameters);
    }

    [RequiresDataFact(HuggingFaceFolders.Qwen3Tokenizer)]
    public void The_qwen3_template_is_refused_before_training_unless_its_drift_is_accepted()
    {
        using var dir = new TempDirectory();
        var model = HuggingFaceFolders.Qwen3(dir.File("qwen3-micro"), seed: 7);
        var refused = Should.Throw<ToolSharpException>(() => new TrainingRun(Config(model), dir.File("refused")).Run());
        refused.Message.ShouldContain("message 2 (tool): its prefix render rewrites earlier text");
        refused.Message.ShouldContain($"--model '{model}#accept_drift=true'");
        Directory.Exists(Path.Combine(dir.File("refused"), "warmup")).ShouldBeFalse("nothing ran");

        var status = new List<string>();
        var summary = new TrainingRun(Config(model + "#accept_drift=true") with { Rl = Config(model).Rl with { Steps = 1 } }, dir.File("accepted")) { OnStatus = status.Add }.Run();
        summary.Steps.ShouldBe(1);
        status.ShouldContain(s => s.StartsWith("template drift accepted: message 2 (tool)", StringComparison.Ordinal));
    }

    [RequiresDataFact(HuggingFaceFolders.Qwen3Tokenizer)]
    public void Warm_up_demonstrations_fit_the_batch_the_tests_train_with()
    {
        // Guards the settings above: a demonstration longer than warmup.batch_tokens would be dropped, and the warm-up
        // would train on nothing.
        using var dir = new TempDirectory();
        var model = HuggingFaceFolders.Qwen3(dir.File("text"), HuggingFaceFolders.Qwen25Template, weights: false);
        var renderer = RolloutRenderers.ForModel(model, Models.Configuration.TransformerConfig.Load(Path.Combine(model, "config.json")));
        var env = EnvironmentCatalog.Create(Env);
        var lengths = Enumerable.Range(0, 4).Select(i => renderer.Demonstration(((IDemonstrationSource)env).Demonstration(env.GetTask("train", i), "")).Length).ToList();
        lengths.ShouldAllBe(n => n > 100 && n <= 512, string.Join(", ", lengths));
    }
}
