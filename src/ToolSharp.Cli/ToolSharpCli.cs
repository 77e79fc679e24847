using System.CommandLine;
using ToolSharp.Core.Errors;

using ToolSharp.Cli.Infrastructure;

namespace ToolSharp.Cli;

/// <summary>Builds the root command and runs it with ToolSharp's error conventions.</summary>
/// <remarks>
/// Errors print one line (<c>error: …</c>) and exit non-zero: 2 for a wrong command line, 1 for everything else.
/// Stack traces appear only with <c>--verbose</c>. Commands throw <see cref="ToolSharpException"/> for expected
/// failures; anything else is a bug and is labelled as unexpected.
/// </remarks>
public static class ToolSharpCli
{
    public static readonly Option<bool> VerboseOption = new("--verbose", "-v")
    {
        Description = "Print stack traces with errors and more detail while running.",
        Recursive = true,
    };

    public static RootCommand BuildRoot(CliContext ctx)
    {
        var root = new RootCommand(
            "ToolSharp: evaluate tool-calling LLM agents reliably and train them efficiently with RL.\n\n" +
            "Run 'toolsharp VERB --help' for a verb's options and examples.");
        root.Add(VerboseOption);
        foreach (var command in CommandCatalog.Create(ctx)) root.Add(command);
        UseShortListings(root);
        return root;
    }

    /// <summary>Group commands list their subcommands by summary only; examples appear in each verb's own help.</summary>
    private static void UseShortListings(RootCommand root)
    {
        foreach (var option in root.Options)
        {
            if (option is System.CommandLine.Help.HelpOption help && help.Action is System.CommandLine.Invocation.SynchronousCommandLineAction inner)
                help.Action = new GroupHelpAction(inner);
        }
    }

    /// <summary>Parses and runs a command line; returns the process exit code.</summary>
    public static int Run(string[] args, CliContext ctx, CancellationToken cancellation = default)
    {
        var root = BuildRoot(ctx);
        var parse = root.Parse(args);
        ctx.Verbose = parse.GetValue(VerboseOption);

        if (parse.Errors.Count > 0 && parse.Action is not (System.CommandLine.Help.HelpAction or GroupHelpAction))
        {
            foreach (var error in parse.Errors) ctx.Err.WriteLine($"error: {error.Message}");
            var verb = parse.CommandResult.Command == root ? "" : " " + CommandPath(parse.CommandResult);
            ctx.Err.WriteLine($"see 'toolsharp{verb} --help'");
            return ExitCodes.Usage;
        }

        try
        {
            var config = new InvocationConfiguration { Output = ctx.Out, Error = ctx.Err, EnableDefaultExceptionHandler = false };
            return parse.InvokeAsync(config, cancellation).GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            return Report(ex, ctx);
        }
    }

    /// <summary>Prints an exception as one line (plus the stack with --verbose) and maps it to an exit code.</summary>
    public static int Report(Exception ex, CliContext ctx)
    {
        if (ex is AggregateException { InnerExceptions.Count: 1 } agg) ex = agg.InnerException!;
        switch (ex)
        {
            case OperationCanceledException:
                ctx.Err.WriteLine("interrupted");
                return ExitCodes.Cancelled;
            case UsageException:
                ctx.Err.WriteLine($"error: {ex.Message}");
                return ExitCodes.Usage;
            case ToolSharpException or Tensors.Kernels.GemmBackendException:
                ctx.Err.WriteLine($"error: {ex.Message}");
                if (ctx.Verbose) ctx.Err.WriteLine(ex.ToString());
                return ExitCodes.Failure;
            default:
                ctx.Err.WriteLine($"error: unexpected {ex.GetType().Name}: {ex.Message}" + (ctx.Verbose ? "" : " (run with --verbose for details)"));
                if (ctx.Verbose) ctx.Err.WriteLine(ex.ToString());
                return ExitCodes.Failure;
        }
    }

    private static string CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (var r = result; r is not null && r.Parent is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Add(r.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }
}
