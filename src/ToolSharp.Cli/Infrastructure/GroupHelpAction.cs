using System.CommandLine;
using System.CommandLine.Invocation;

namespace ToolSharp.Cli.Infrastructure;

/// <summary>Help for commands that have subcommands: one summary line per subcommand instead of its whole description.</summary>
/// <remarks>Leaf commands keep System.CommandLine's own help, whose description carries the examples.</remarks>
internal sealed class GroupHelpAction(SynchronousCommandLineAction defaultHelp) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        var command = parseResult.CommandResult.Command;
        if (!command.Subcommands.Any()) return defaultHelp.Invoke(parseResult);

        var output = parseResult.InvocationConfiguration.Output;
        output.WriteLine("Description:");
        foreach (var line in (command.Description ?? "").Split('\n')) output.WriteLine("  " + line);
        output.WriteLine();
        output.WriteLine("Usage:");
        output.WriteLine($"  {UsagePath(parseResult)} [command] [options]");
        output.WriteLine();
        WriteTable(output, "Options:", command.Options.Concat(Recursive(parseResult)).DistinctBy(o => o.Name)
            .Select(o => (string.Join(", ", o.Aliases.Append(o.Name).OrderBy(a => a.Length)), o.Description ?? "")));
        WriteTable(output, "Commands:", command.Subcommands.Where(c => !c.Hidden)
            .Select(c => (c.Name, (c.Description ?? "").Split("\n\n")[0])));
        return 0;
    }

    private static IEnumerable<Option> Recursive(ParseResult parseResult)
    {
        for (var r = parseResult.CommandResult.Parent as System.CommandLine.Parsing.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            foreach (var o in r.Command.Options.Where(o => o.Recursive)) yield return o;
    }

    private static string UsagePath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var r = parseResult.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Add(r.Parent is null ? "toolsharp" : r.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }

    private static void WriteTable(TextWriter output, string title, IEnumerable<(string Left, string Right)> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0) return;
        output.WriteLine(title);
        var width = list.Max(r => r.Left.Length) + 2;
        foreach (var (left, right) in list)
        {
            var lines = right.Split('\n');
            output.WriteLine($"  {left.PadRight(width)}{lines[0]}");
            foreach (var more in lines.Skip(1)) output.WriteLine($"  {new string(' ', width)}{more}");
        }
        output.WriteLine();
    }
}
