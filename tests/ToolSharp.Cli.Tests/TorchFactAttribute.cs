using System.Diagnostics;

namespace ToolSharp.Cli.Tests;

/// <summary>A fact that needs PyTorch for /usr/bin/python3 (Debian's python3-torch); reported as skipped, with the reason, when it is absent.</summary>
public sealed class TorchFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> Available = new(() =>
    {
        if (!File.Exists(Python)) return false;
        using var process = Process.Start(new ProcessStartInfo(Python, ["-c", "import torch"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0;
    });

    public TorchFactAttribute()
    {
        if (!Available.Value) Skip = $"PyTorch reference skipped: {Python} cannot import torch (Debian package 'python3-torch')";
    }
}
