using System.Text.Json;
using ToolSharp.Testing;

namespace ToolSharp.Cli.Tests;

/// <summary>bench engine on the tiny preset: the JSON contract, how the PyTorch reference is started, and parity with it.</summary>
[Collection("EngineThreads")] // the command sets the engine's thread count for the process
public sealed class BenchEngineCommandTests
{
    private static readonly string[] TinyShape = ["--model", "tiny", "--batch", "2", "--seq", "24", "--threads", "1"];

    [Fact]
    public void Json_has_every_documented_field_and_null_torch_fields_without_the_reference()
    {
        var result = CliRunner.Run(["bench", "engine", .. TinyShape, "--no-torch", "--json"]);
        result.ExitCode.ShouldBe(0, result.Err);
        var root = JsonDocument.Parse(result.Out).RootElement;
        root.GetProperty("threads").GetInt32().ShouldBe(1);
        root.GetProperty("blas").GetString().ShouldBe(Tensors.Kernels.Gemm.ActiveName);
        root.GetProperty("train_step_ms").GetDouble().ShouldBeGreaterThan(0);
        root.GetProperty("train_cores_busy").GetDouble().ShouldBeGreaterThan(0);
        root.GetProperty("gen_tokens_per_s").GetDouble().ShouldBeGreaterThan(0);
        root.GetProperty("gen_tokens_per_s_batch8").GetDouble().ShouldBeGreaterThan(0);
        foreach (var field in new[] { "torch_version", "torch_train_step_ms", "torch_train_cores_busy", "torch_gen_tokens_per_s", "max_rel_logit_diff", "max_rel_grad_diff", "train_step_ratio" })
            root.GetProperty(field).ValueKind.ShouldBe(JsonValueKind.Null, field);
    }

    [Fact]
    public void The_reference_gets_its_blas_threads_pinned_and_a_missing_torch_is_named()
    {
        if (OperatingSystem.IsWindows()) return; // the stand-in interpreter is a shell script
        using var dir = new TempDirectory();
        var seen = Path.Combine(dir.Path, "env.txt");
        var fake = Path.Combine(dir.Path, "python");
        // Stands in for an interpreter without torch; records the thread settings it was started with.
        File.WriteAllText(fake, $"#!/bin/sh\necho \"$OPENBLAS_NUM_THREADS $OMP_NUM_THREADS $MKL_NUM_THREADS\" > '{seen}'\n" +
                                "echo \"ModuleNotFoundError: No module named 'torch'\" >&2\nexit 1\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = CliRunner.Run(["bench", "engine", .. TinyShape, "--python", fake, "--json"]);

        result.ExitCode.ShouldBe(0, result.Err);
        result.Err.ShouldContain($"{fake} has no torch (apt-get install python3-torch)");
        File.ReadAllText(seen).Trim().ShouldBe("1 1 1");
        JsonDocument.Parse(result.Out).RootElement.GetProperty("torch_train_step_ms").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [TorchFact]
    public void Logits_and_gradients_match_pytorch_on_the_same_weights_and_both_engines_report_their_cores()
    {
        var result = CliRunner.Run(["bench", "engine", .. TinyShape, "--python", TorchFactAttribute.Python, "--json"]);
        result.ExitCode.ShouldBe(0, result.Err);
        result.Err.ShouldNotContain("no PyTorch reference");
        var root = JsonDocument.Parse(result.Out).RootElement;
        root.GetProperty("max_rel_logit_diff").GetDouble().ShouldBeLessThan(1e-4);
        // gradients of every parameter on sequences of 100 and 37 tokens (several causal-attention blocks)
        root.GetProperty("max_rel_grad_diff").GetDouble().ShouldBeLessThan(1e-4);
        root.GetProperty("torch_version").GetString().ShouldNotBeNullOrEmpty();
        root.GetProperty("torch_train_step_ms").GetDouble().ShouldBeGreaterThan(0);
        root.GetProperty("torch_train_cores_busy").GetDouble().ShouldBeGreaterThan(0);
        root.GetProperty("torch_gen_tokens_per_s").GetDouble().ShouldBeGreaterThan(0);
    }
}
