using System.Text.Json;
using ToolSharp.Testing;

namespace ToolSharp.Cli.Tests;

/// <summary><c>toolsharp train --model DIR</c> and <c>toolsharp eval -m builtin:DIR</c> on a randomly initialised
/// Qwen3-shaped Hugging Face folder with the real Qwen3 tokenizer, from the command line.</summary>
[Collection("EngineThreads")]
public sealed class HuggingFaceCommandTests
{
    private const string Env = "arith:levels=1,digits=1-1";

    private static readonly string[] Few =
    [
        "--env", Env, "--set", "threads=1",
        "--set", "warmup.demonstrations=4", "--set", "warmup.steps=1", "--set", "warmup.batch_tokens=512", "--set", "warmup.checkpoint_every=0",
        "--set", "warmup.warmup_steps=1", "--set", "warmup.probe_every=0",
        "--set", "rl.prompts_per_step=1", "--set", "rl.rollouts_per_prompt=2", "--set", "rl.update_rollouts_per_prompt=2", "--set", "rl.prompt_pool=4",
        "--set", "rl.validation_tasks=1", "--set", "rl.validate_every=0", "--set", "rl.checkpoint_every=0",
        "--set", "rl.rollout.max_new_tokens_per_turn=8", "--set", "rl.rollout.max_total_tokens=640", "--set", "rl.rollout.max_turns=2",
    ];

    [RequiresDataFact(HuggingFaceFolders.Qwen3Tokenizer)]
    public void Train_then_eval_native_and_packed_on_a_qwen3_shaped_folder()
    {
        using var dir = new TempDirectory();
        var model = HuggingFaceFolders.Qwen3(dir.File("qwen3-micro"), HuggingFaceFolders.Qwen25Template, seed: 7);
        var run = dir.File("run");
        var train = CliRunner.Run(["train", "--out", run, "--model", model, "--steps", "1", "--json", .. Few]);
        train.ExitCode.ShouldBe(0, train.Err);
        train.Err.ShouldContain("chat template: turn-by-turn rollout tokens equal the full render");
        JsonDocument.Parse(train.Out).RootElement.GetProperty("steps").GetInt64().ShouldBe(1);

        foreach (var construction in new[] { "native", "packed" })
        {
            var eval = CliRunner.Run("eval", "-m", $"builtin:{run}", "-e", Env, "-n", "1", "--max-turns", "2", "--template", construction, "--out", dir.File($"{construction}.db"));
            eval.ExitCode.ShouldBe(0, eval.Err);
            eval.Err.ShouldContain("1 episodes run, 0 already stored, 0 failed");
            if (construction == "native")
                eval.Err.ShouldContain($"run: {Path.Combine(run, "chat_template.jinja")} on arith:digits=1-1,levels=1-1 (tool calls: hermes): turn-by-turn rollout tokens equal the full render");
        }
    }

    [RequiresDataFact(HuggingFaceFolders.Qwen3Tokenizer)]
    public void Train_refuses_the_qwen3_template_in_one_line_naming_the_message_and_token()
    {
        using var dir = new TempDirectory();
        var model = HuggingFaceFolders.Qwen3(dir.File("qwen3-micro"), seed: 7);
        var train = CliRunner.Run(["train", "--out", dir.File("run"), "--model", model, "--steps", "1", .. Few]);
        train.ExitCode.ShouldBe(1);
        var error = train.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single(l => l.StartsWith("error:", StringComparison.Ordinal));
        error.ShouldContain("tokenizer_config.json#chat_template: turn-by-turn rollout tokens differ from the full render: message 2 (tool)");
        error.ShouldContain("expected 151657 \"<tool_call>\" (full render), found 151667 \"<think>\" (turn by turn)");
        error.ShouldContain($"--model '{model}#accept_drift=true'");
        error.ShouldEndWith("or set rl.rollout.construction=packed or a history policy other than keep (the prompt is then re-rendered every turn)");
    }

    [RequiresDataFact(HuggingFaceFolders.Qwen3Tokenizer)]
    public void Train_native_and_packed_on_the_qwen3_template_and_the_drift_check_says_which_applies()
    {
        // Native rollouts append each turn's tokens: Qwen3's template drifts turn by turn, so they train only once the
        // drift is accepted. Packed rollouts re-render the prompt every turn: drift does not apply.
        using var dir = new TempDirectory();
        var model = HuggingFaceFolders.Qwen3(dir.File("qwen3-micro"), seed: 7);
        var native = CliRunner.Run(["train", "--out", dir.File("native"), "--model", model + "#accept_drift=true", "--steps", "2", "--json", .. Few]);
        native.ExitCode.ShouldBe(0, native.Err);
        native.Err.ShouldContain("template drift accepted: message 2 (tool)");
        JsonDocument.Parse(native.Out).RootElement.GetProperty("construction").GetString().ShouldBe("native");

        var packed = CliRunner.Run(["train", "--out", dir.File("packed"), "--model", model, "--steps", "2", "--json", "--set", "rl.rollout.construction=packed", .. Few]);
        packed.ExitCode.ShouldBe(0, packed.Err);
        packed.Err.ShouldContain("chat template: drift check not applicable: rollouts re-render the prompt every turn (view keep|packed) and train segment by segment");
        packed.Err.ShouldNotContain("drift accepted");
        var summary = JsonDocument.Parse(packed.Out).RootElement;
        summary.GetProperty("steps").GetInt64().ShouldBe(2);
        summary.GetProperty("construction").GetString().ShouldBe("packed");
        summary.GetProperty("rollouts").GetInt64().ShouldBe(4);
    }
}
