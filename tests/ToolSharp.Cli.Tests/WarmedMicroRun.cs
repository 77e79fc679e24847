using ToolSharp.Models.Configuration;
using ToolSharp.Testing;

namespace ToolSharp.Cli.Tests;

/// <summary>Micro models (Qwen3, and Llama with attention biases, whose GGUF q/k rows are permuted) given a short supervised
/// warm-up, so their greedy output is well-formed text rather than random bytes (llama-server answers HTTP 500 when a
/// completion is not valid UTF-8).</summary>
public sealed class WarmedMicroRun : IDisposable
{
    private readonly TempDirectory _dir = new();

    public WarmedMicroRun()
    {
        if (!File.Exists(LlamaServerFactAttribute.Binary)) return;
        foreach (var arch in new[] { Architecture.Qwen3, Architecture.Llama })
        {
            var run = Path.Combine(_dir.Path, $"warmed-{arch}");
            var result = CliRunner.Run("train", "--out", run, "--model", ExportCommandTests.MicroRun(_dir, arch), "--set", "threads=1",
                "--set", "warmup.demonstrations=512", "--set", "warmup.steps=120", "--set", "warmup.checkpoint_every=0",
                "--set", "rl.steps=0", "--set", "rl.validation_tasks=2");
            if (result.ExitCode != 0) throw new InvalidOperationException(result.Err);
            Runs[arch] = run;
        }
    }

    /// <summary>The run directory of each architecture.</summary>
    public Dictionary<Architecture, string> Runs { get; } = [];

    public void Dispose() => _dir.Dispose();
}
