using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace ToolSharp.Testing;

/// <summary>npm packages installed once per machine into a temp folder, for tests that check our files with other people's code.</summary>
/// <remarks>
/// The folder is keyed by the exact package list and reused by later runs (a marker file says the install finished),
/// so only the first run reaches the registry. Scripts are not run (<c>--ignore-scripts</c>): the packages used are
/// plain JavaScript. When node or npm is missing or the install fails, <see cref="MissingReason"/> says why, and the
/// test is reported as skipped with that reason.
/// </remarks>
public static class NpmPackages
{
    private static readonly ConcurrentDictionary<string, Lazy<(string? Folder, string? Problem)>> Installs = new(StringComparer.Ordinal);

    /// <summary>The folder whose node_modules holds the packages, or null (see <see cref="MissingReason"/>).</summary>
    public static string? Folder(params string[] packages) => Get(packages).Folder;

    public static string? MissingReason(params string[] packages) => Get(packages).Problem;

    private static (string? Folder, string? Problem) Get(string[] packages) =>
        Installs.GetOrAdd(string.Join(" ", packages), _ => new(() => Install(packages))).Value;

    private static (string?, string?) Install(string[] packages)
    {
        if (Which("node") is null || Which("npm") is null) return (null, "node and npm are not both on PATH");
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(" ", packages))))[..16].ToLowerInvariant();
        var folder = Path.Combine(Path.GetTempPath(), "toolsharp-npm", key);
        var marker = Path.Combine(folder, ".installed");
        if (File.Exists(marker)) return (folder, null);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "package.json"), "{\"name\": \"toolsharp-test-deps\", \"private\": true, \"type\": \"module\"}");
        var (code, output) = Run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", .. packages], folder, TimeSpan.FromMinutes(3));
        if (code != 0)
        {
            var line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "no output";
            return (null, $"npm install {string.Join(" ", packages)} failed (exit {code}): {line}");
        }
        File.WriteAllText(marker, string.Join("\n", packages));
        return (folder, null);
    }

    /// <summary>Runs a program to completion (killed after <paramref name="timeout"/>); returns its exit code and combined output.</summary>
    public static (int ExitCode, string Output) Run(string program, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{program} did not finish within {timeout.TotalSeconds:0} s");
        }
        return (process.ExitCode, stderr.Result + stdout.Result);
    }

    private static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
}
