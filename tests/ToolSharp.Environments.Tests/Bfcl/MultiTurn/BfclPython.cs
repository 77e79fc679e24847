using System.Diagnostics;
using System.Text.Json;
using ToolSharp.Environments.Bfcl.Backends;
using ToolSharp.Environments.Bfcl.MultiTurn;
using ToolSharp.Testing;

namespace ToolSharp.Environments.Tests.Bfcl.MultiTurn;

/// <summary>Runs BFCL's own Python (the shared reference package) through the test driver <c>bfcl_oracle.py</c>.</summary>
internal static class BfclPython
{
    public const string Interpreter = "/usr/bin/python3";
    public const string Reference = "reference/bfcl";
    public const string Data = "datasets/bfcl";

    // Debian's mpmath; the driver imports it when present, else falls back to math.log like BFCL's replay script.
    private const string MpmathFolder = "/usr/lib/python3/dist-packages";

    /// <summary>Null when the oracle can run; otherwise why not.</summary>
    public static string? MissingReason()
    {
        if (!File.Exists(Interpreter)) return $"{Interpreter} not found (the BFCL Python reference needs it)";
        return SharedData.MissingReason(Reference + "/bfcl_eval", Data + "/BFCL_v4_multi_turn_base.json");
    }

    /// <summary>The driver's output lines after its header, and the options that make ToolSharp compute as it did.</summary>
    public static (BfclMultiTurnOptions Options, List<JsonElement> Lines) Run(params string[] arguments)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Bfcl", "MultiTurn", "bfcl_oracle.py");
        var mpmath = Directory.Exists(Path.Combine(MpmathFolder, "mpmath")) ? MpmathFolder : "";
        string[] args = ["-I", "-S", script, .. arguments, "--reference", SharedData.Path(Reference), "--data", SharedData.Path(Data), "--mpmath-path", mpmath];
        using var process = Process.Start(new ProcessStartInfo(Interpreter, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = new List<JsonElement>();
        while (process.StandardOutput.ReadLine() is { } line) lines.Add(JsonDocument.Parse(line).RootElement.Clone());
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"bfcl_oracle.py failed ({process.ExitCode}): {stderr.Result}");
        var header = lines[0];
        var options = new BfclMultiTurnOptions
        {
            Logarithm = header.GetProperty("logarithm").GetString() == "mpmath" ? BfclLogarithm.Mpmath : BfclLogarithm.MathLog,
            ModelName = "oracle",
        };
        return (options, lines.Skip(1).ToList());
    }
}
