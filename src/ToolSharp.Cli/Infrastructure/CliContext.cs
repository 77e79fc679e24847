using Spectre.Console;

namespace ToolSharp.Cli.Infrastructure;

/// <summary>The streams a command uses: machine-readable output on <see cref="Out"/>, people-facing chatter and progress on <see cref="Err"/>.</summary>
/// <remarks>Commands never touch <see cref="Console"/> directly, so tests can run them in-process and capture everything.</remarks>
public sealed class CliContext
{
    public CliContext(TextReader input, TextWriter output, TextWriter error, bool interactive = false)
    {
        In = input;
        Out = output;
        Err = error;
        Interactive = interactive;
        Status = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(error),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        Tables = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
    }

    /// <summary>The process's real console, with ANSI progress bars when stderr is a terminal.</summary>
    public static CliContext FromConsole() =>
        new(Console.In, Console.Out, Console.Error, interactive: !Console.IsErrorRedirected);

    public TextReader In { get; }

    public TextWriter Out { get; }

    public TextWriter Err { get; }

    /// <summary>True when a person is watching stderr (live progress bars make sense).</summary>
    public bool Interactive { get; }

    /// <summary>Spectre console on stderr: progress bars, status lines.</summary>
    public IAnsiConsole Status { get; }

    /// <summary>Spectre console on stdout: result tables.</summary>
    public IAnsiConsole Tables { get; }

    /// <summary>Set by <c>--verbose</c>: print stack traces with errors.</summary>
    public bool Verbose { get; set; }

    /// <summary>With TOOLSHARP_PROFILE=1, writes the engine's time per op (largest first) to stderr.</summary>
    public void PrintProfile()
    {
        if (!ToolSharp.Tensors.Kernels.OpProfiler.Enabled) return;
        foreach (var (name, ms, calls) in ToolSharp.Tensors.Kernels.OpProfiler.Snapshot())
            Err.WriteLine(FormattableString.Invariant($"profile {name,-28} {ms,10:F0} ms {calls,9} calls"));
    }
}
