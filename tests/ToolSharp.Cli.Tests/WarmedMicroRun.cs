using ToolSharp.Testing;

namespace ToolSharp.Cli.Tests;

/// <summary>A micro model given a short supervised warm-up, so its greedy output is well-formed text rather than random bytes
/// (llama-server answers HTTP 500 when a completion is not valid UTF-8).</summary>
public sealed class WarmedMicroRun : IDisposable
{
    private readonly TempDirectory _dir = new();

    public WarmedMicroRun()
    {
        if (!File.Exists(LlamaServerFactAttribute.Binary)) return;
        Run = Path.Combine(_dir.Path, "warmed");
        var result = CliRunner.Run("train", "--out", Run, "--model", ExportCommandTests.MicroRun(_dir), "--set", "threads=1",
            "--set", "warmup.demonstrations=512", "--set", "warmup.steps=120", "--set", "warmup.checkpoint_every=0",
            "--set", "rl.steps=0", "--set", "rl.validation_tasks=2");
        if (result.ExitCode != 0) throw new InvalidOperationException(result.Err);
    }

    public string Run { get; } = "";

    public void Dispose() => _dir.Dispose();
}
