using System.CommandLine;
using System.Reflection;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Core.Data;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp info</c>: what this installation can see (version, shared data, native libraries).</summary>
public static class InfoCommand
{
    public static Command Create(CliContext ctx)
    {
        var command = new Command("info", Help.WithExamples(
            "Show the ToolSharp version, the shared data folder and which datasets, tokenizers and templates it holds.",
            "toolsharp info",
            "TOOLSHARP_DATA=/data/shared toolsharp info"));
        command.SetAction(_ =>
        {
            var version = typeof(InfoCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            ctx.Out.WriteLine($"toolsharp {version}");
            ctx.Out.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} logical cores");
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
