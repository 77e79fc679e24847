using System.CommandLine;
using ToolSharp.Core.Formats;

namespace ToolSharp.Cli.Infrastructure;

/// <summary>The shared <c>--format</c> option: a tool-call format name, validated at parse time (bad names exit 2).</summary>
public static class FormatOption
{
    public static Option<ToolCallFormat> Create(bool required = true, string description = "Tool-call format")
    {
        var option = new Option<ToolCallFormat>("--format", "-f")
        {
            Description = $"{description}: {string.Join(", ", ToolCallFormats.Names)}.",
            Required = required,
            HelpName = "name",
            CustomParser = result =>
            {
                var name = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (ToolCallFormats.TryGet(name, out var format)) return format;
                result.AddError($"unknown tool-call format '{name}' (expected one of: {string.Join(", ", ToolCallFormats.Names)})");
                return null;
            },
        };
        return option;
    }
}
