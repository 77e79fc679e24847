using ToolSharp.Cli;
using ToolSharp.Cli.Infrastructure;

var ctx = CliContext.FromConsole();
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl-C asks the running command to stop cleanly (runs checkpoint and resume); a second one kills.
    if (cancellation.IsCancellationRequested) return;
    e.Cancel = true;
    cancellation.Cancel();
};
return ToolSharpCli.Run(args, ctx, cancellation.Token);
