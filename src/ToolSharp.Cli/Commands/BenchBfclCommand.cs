using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Core.Data;
using ToolSharp.Environments.Bfcl.MultiTurn;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp bench bfcl</c>: scoring BFCL's multi-turn ground truth with ToolSharp's checker next to BFCL's
/// own Python checker, measured in the same run.</summary>
public static class BenchBfclCommand
{
    public static Command Create(CliContext ctx)
    {
        var passes = new Option<int>("--passes") { Description = "Timed passes over the 800 entries (both sides), after warm-up passes (ToolSharp: 3 to 10, until passes stop getting faster; BFCL: one).", DefaultValueFactory = _ => 3 };
        var python = new Option<string>("--python") { Description = "Python for BFCL's checker (standard library only).", DefaultValueFactory = _ => "/usr/bin/python3" };
        var reference = new Option<string?>("--reference") { Description = "Folder holding BFCL's bfcl_eval package (default: reference/bfcl in the shared data)." };
        var noReference = new Option<bool>("--no-reference") { Description = "Measure only ToolSharp." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with every number." };
        var command = new Command("bfcl", Help.WithExamples(
            "Score the ground truth of all 800 BFCL multi-turn entries (each turn's calls as one model step: every call executed for the model " +
            "and for the ground truth, state and response checks) with ToolSharp, then with BFCL's Python checker (bench/bfcl_reference.py, " +
            "single-threaded, as a subprocess), and print both times (wall and CPU) and the ratios. Both sides time passes after warm-up.",
            "toolsharp bench bfcl",
            "toolsharp bench bfcl --passes 5 --json",
            "toolsharp bench bfcl --no-reference"))
        {
            passes, python, reference, noReference, json,
        };
        command.SetAction(parse =>
        {
            var data = ToolSharpData.PathTo("datasets", "bfcl");
            var n = Math.Max(1, parse.GetValue(passes));
            var load = Stopwatch.StartNew();
            var entries = BfclMultiTurnDataset.Categories.SelectMany(c => BfclMultiTurnDataset.LoadCategory(data, c)).ToList();
            var results = entries.Select(e => (IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>>)e.GroundTruth
                .Select(t => t.Count == 0 ? (IReadOnlyList<IReadOnlyList<string>>)[] : [t]).ToList()).ToList();
            var loadSeconds = load.Elapsed.TotalSeconds;
            int Pass() => entries.Select((e, i) => BfclMultiTurnChecker.Check(e, results[i]).Valid ? 1 : 0).Sum();
            var process = Process.GetCurrentProcess();
            (double Wall, double Cpu, int Valid) Timed()
            {
                process.Refresh();
                var cpu0 = process.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                var ok = Pass();
                var wall = watch.Elapsed.TotalSeconds;
                process.Refresh();
                return (wall, (process.TotalProcessorTime - cpu0).TotalSeconds, ok);
            }
            var (coldSeconds, _, valid) = Timed();
            // Warm up until a pass is no longer clearly faster than the one before: tiered compilation promotes the
            // backends' methods after they have run a while, later on a busy machine.
            var warmups = 1;
            for (var previous = coldSeconds; warmups < 10; warmups++)
            {
                var wall = Timed().Wall;
                if (warmups >= 3 && wall > previous * 0.95) break;
                previous = Math.Min(previous, wall);
            }
            var timed = Enumerable.Range(0, n).Select(_ => Timed()).ToList();
            var seconds = timed.Average(t => t.Wall);
            var cpuSeconds = timed.Average(t => t.Cpu);
            valid = timed[^1].Valid;

            PythonResult? theirs = null;
            string? problem = null;
            if (!parse.GetValue(noReference))
            {
                ctx.Err.WriteLine("scoring with BFCL's Python checker");
                theirs = RunReference(parse.GetValue(python)!, parse.GetValue(reference) ?? ToolSharpData.PathTo("reference", "bfcl"), data, n, out problem);
                if (problem is not null) ctx.Err.WriteLine($"no BFCL reference: {problem}");
            }
            var inv = CultureInfo.InvariantCulture;
            if (parse.GetValue(json))
            {
                ctx.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["entries"] = entries.Count, ["valid"] = valid, ["passes"] = n, ["warmup_passes"] = warmups, ["load_seconds"] = Math.Round(loadSeconds, 3),
                    ["first_pass_seconds"] = Math.Round(coldSeconds, 3), ["seconds"] = Math.Round(seconds, 3), ["cpu_seconds"] = Math.Round(cpuSeconds, 3),
                    ["reference_seconds"] = theirs is null ? null : Math.Round(theirs.Seconds, 3),
                    ["reference_cpu_seconds"] = theirs is null ? null : Math.Round(theirs.CpuSeconds, 3), ["reference_valid"] = theirs?.Valid,
                    ["reference_process_seconds"] = theirs is null ? null : Math.Round(theirs.WallSeconds, 3), ["reference_logarithm"] = theirs?.Logarithm,
                    ["ratio"] = theirs is null ? null : Math.Round(theirs.Seconds / seconds, 2),
                    ["cpu_ratio"] = theirs is null ? null : Math.Round(theirs.CpuSeconds / cpuSeconds, 2),
                }));
                return ExitCodes.Ok;
            }
            ctx.Out.WriteLine($"BFCL multi-turn ground truth: {entries.Count} entries, each turn's calls as one model step");
            ctx.Out.WriteLine(string.Format(inv, "toolsharp    load {0:F2} s, first pass {1:F2} s; after {2} warm-up pass(es) {3:F3} s per pass ({4:F3} s CPU, mean of {5}), {6}/{7} valid",
                loadSeconds, coldSeconds, warmups, seconds, cpuSeconds, n, valid, entries.Count));
            if (theirs is null) ctx.Out.WriteLine($"bfcl python  not measured{(problem is null ? "" : $" ({problem})")}");
            else
            {
                ctx.Out.WriteLine(string.Format(inv, "bfcl python  {0:F3} s per pass ({1:F3} s CPU, mean of {2}, after a warm-up pass), {3}/{4} valid, logarithm via {5}; process {6:F1} s",
                    theirs.Seconds, theirs.CpuSeconds, n, theirs.Valid, theirs.Entries, theirs.Logarithm, theirs.WallSeconds));
                ctx.Out.WriteLine(string.Format(inv, "ratio        {0:F1}x ({1:F1}x in CPU time)", theirs.Seconds / seconds, theirs.CpuSeconds / cpuSeconds));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private sealed record PythonResult(int Entries, int Valid, double Seconds, double CpuSeconds, double WallSeconds, string Logarithm);

    private static PythonResult? RunReference(string python, string referenceFolder, string data, int passes, out string? problem)
    {
        var script = FindScript();
        if (script is null) { problem = "bench/bfcl_reference.py not found (run from the repository)"; return null; }
        if (!Directory.Exists(Path.Combine(referenceFolder, "bfcl_eval"))) { problem = $"{referenceFolder}: no bfcl_eval package"; return null; }
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        string[] args = ["-I", "-S", script, "--reference", referenceFolder, "--data", data, "--passes", passes.ToString(CultureInfo.InvariantCulture)];
        foreach (var a in args) start.ArgumentList.Add(a);
        // Debian's mpmath, which a BFCL install has; without it the script computes logarithms with math.log.
        if (Directory.Exists("/usr/lib/python3/dist-packages/mpmath")) { start.ArgumentList.Add("--mpmath-path"); start.ArgumentList.Add("/usr/lib/python3/dist-packages"); }
        try
        {
            var wall = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                problem = $"{python} failed: {stderr.Result.Trim().Split('\n')[^1]}";
                return null;
            }
            using var doc = JsonDocument.Parse(stdout.Result.Trim().Split('\n')[^1]);
            var root = doc.RootElement;
            problem = null;
            return new PythonResult(root.GetProperty("entries").GetInt32(), root.GetProperty("valid").GetInt32(), root.GetProperty("seconds").GetDouble(),
                root.GetProperty("cpu_seconds").GetDouble(), wall.Elapsed.TotalSeconds, root.GetProperty("logarithm").GetString()!);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            problem = $"cannot run {python}: {e.Message}";
            return null;
        }
    }

    private static string? FindScript()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "bench", "bfcl_reference.py");
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }
}
