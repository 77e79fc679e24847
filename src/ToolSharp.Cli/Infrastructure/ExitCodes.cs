namespace ToolSharp.Cli.Infrastructure;

/// <summary>Process exit codes shared by every verb.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The command ran and failed (bad input file, failed check, runtime error).</summary>
    public const int Failure = 1;
    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;
    /// <summary>Interrupted by Ctrl-C.</summary>
    public const int Cancelled = 130;
}
