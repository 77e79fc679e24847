using ToolSharp.Cli;
using ToolSharp.Cli.Infrastructure;

namespace ToolSharp.Cli.Tests;

/// <summary>Runs the CLI in-process with captured streams.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Err);

    public static Result RunWithInput(string stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var ctx = new CliContext(new StringReader(stdin), output, error);
        var code = ToolSharpCli.Run(args, ctx);
        return new Result(code, output.ToString(), error.ToString());
    }

    public static Result Run(params string[] args) => RunWithInput("", args);
}
