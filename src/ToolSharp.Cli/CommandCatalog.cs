using System.CommandLine;
using ToolSharp.Cli.Commands;

using ToolSharp.Cli.Infrastructure;

namespace ToolSharp.Cli;

/// <summary>Every top-level verb, in the order <c>toolsharp --help</c> lists them.</summary>
public static class CommandCatalog
{
    public static IEnumerable<Command> Create(CliContext ctx)
    {
        yield return InfoCommand.Create(ctx);
        yield return ParseCommand.Create(ctx);
        yield return FormatCommand.Create(ctx);
        yield return TokenizeCommand.Create(ctx);
        yield return TemplateCommand.Create(ctx);
        yield return EnvCommand.Create(ctx);
        yield return BfclCommand.Create(ctx);
        yield return McpCommand.Create(ctx);
        yield return EvalCommand.Create(ctx);
        yield return SweepCommand.Create(ctx);
        yield return StudyCommand.Create(ctx);
        yield return ReportCommand.Create(ctx);
        yield return TrainCommand.Create(ctx);
        yield return ExportCommand.Create(ctx);
        yield return ServeCommand.Create(ctx);
        yield return BenchCommand.Create(ctx);
    }
}
