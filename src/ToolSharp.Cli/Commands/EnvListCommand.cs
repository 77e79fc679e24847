using ToolSharp.Environments.Catalog;
using System.CommandLine;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Core.Json;
using ToolSharp.Environments.Episodes;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp env list</c>: every built-in environment with its tools, splits and whether its data is present.</summary>
public static class EnvListCommand
{
    public static Command Create(CliContext ctx)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object per environment instead of a table." };
        var command = new Command("list", Help.WithExamples(
            "List the built-in environments. Data-backed ones show 'missing' when the shared data folder lacks their files.",
            "toolsharp env list",
            "toolsharp env list --json"))
        {
            json,
        };
        command.SetAction(parse =>
        {
            var width = EnvironmentCatalog.Entries.Max(e => e.Name.Length) + 2;
            foreach (var entry in EnvironmentCatalog.Entries)
            {
                var env = entry.IsAvailable ? EnvironmentCatalog.Create(entry.Name) : null;
                var tools = env is null ? "" : env.ToolSpecs.Count == 0 ? "(per task)" : string.Join(", ", env.ToolSpecs.Select(t => t.Name));
                var splits = env is null ? "" : string.Join(", ", env.Splits.Select(s => $"{s} ({Count(env, s)})"));
                var data = entry.RequiredData is null ? "generated" : entry.IsAvailable ? "found" : "missing";
                if (parse.GetValue(json))
                {
                    ctx.Out.WriteLine(JsonValues.ToCompact(JsonValues.Build(w =>
                    {
                        w.WriteStartObject();
                        w.WriteString("name", entry.Name);
                        w.WriteString("version", env?.Version);
                        w.WriteString("summary", entry.Summary);
                        w.WriteString("data", data);
                        w.WriteStartArray("tools");
                        foreach (var t in env?.ToolSpecs ?? []) w.WriteStringValue(t.Name);
                        w.WriteEndArray();
                        w.WriteStartObject("splits");
                        foreach (var s in env?.Splits ?? [])
                        {
                            if (env!.TaskCount(s) is { } n) w.WriteNumber(s, n);
                            else w.WriteNull(s);
                        }
                        w.WriteEndObject();
                        w.WriteEndObject();
                    })));
                }
                else
                {
                    // Plain lines rather than a table: summaries stay readable at any terminal width.
                    ctx.Out.WriteLine($"{entry.Name.PadRight(width)}{entry.Summary}");
                    ctx.Out.WriteLine(env is null
                        ? $"{new string(' ', width)}data missing: {Core.Data.ToolSharpData.PathTo(entry.RequiredData!)}"
                        : $"{new string(' ', width)}tools: {tools}; splits: {splits}; data: {data}");
                }
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static string Count(IEnvironment env, string split) => env.TaskCount(split)?.ToString() ?? "endless";
}
