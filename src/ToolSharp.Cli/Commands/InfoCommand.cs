using System.CommandLine;
using System.Reflection;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Core.Data;
using ToolSharp.Tensors.Kernels;
using ToolSharp.Tensors.Native;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp info</c>: what this installation can see (version, GEMM backend, shared data).</summary>
public static class InfoCommand
{
    public static Command Create(CliContext ctx)
    {
        var command = new Command("info", Help.WithExamples(
            "Show the ToolSharp version, which GEMM backend runs (TOOLSHARP_BLAS), the shared data folder and which datasets, tokenizers and templates it holds.",
            "toolsharp info",
            "TOOLSHARP_DATA=/data/shared toolsharp info",
            "TOOLSHARP_BLAS=managed toolsharp info"));
        command.SetAction(_ =>
        {
            var version = typeof(InfoCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            ctx.Out.WriteLine($"toolsharp {version}");
            ctx.Out.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} logical cores");
            var choice = Environment.GetEnvironmentVariable(Gemm.EnvironmentVariable);
            var other = Gemm.Active == GemmBackend.OpenBlas ? $"managed kernels {GemmSimdSupport.Best}"
                : OpenBlas.IsAvailable ? $"OpenBLAS {OpenBlas.LibraryPath} not used" : "OpenBLAS not found";
            ctx.Out.WriteLine($"GEMM: {Gemm.Describe()} ({Gemm.EnvironmentVariable}={(string.IsNullOrWhiteSpace(choice) ? "auto" : choice.Trim())}; {other})");
            var root = ToolSharpData.Root;
            ctx.Out.WriteLine($"shared data: {root} ({(ToolSharpData.Exists ? "found" : $"missing; set {ToolSharpData.EnvironmentVariable}")})");
            if (ToolSharpData.Exists)
            {
                foreach (var dir in new[] { "datasets", "tokenizers", "chat-templates" })
                {
                    var path = Path.Combine(root, dir);
                    IEnumerable<string> entries = Directory.Exists(path)
                        ? Directory.EnumerateFileSystemEntries(path).Select(Path.GetFileName).OfType<string>().Where(n => !n.StartsWith("LICENSE")).Order()
                        : [];
                    ctx.Out.WriteLine($"  {dir}: {string.Join(", ", entries)}");
                }
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
