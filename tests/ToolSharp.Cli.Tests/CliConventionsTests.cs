namespace ToolSharp.Cli.Tests;

public class CliConventionsTests
{
    [Fact]
    public void Root_help_lists_the_verbs()
    {
        var r = CliRunner.Run("--help");
        r.ExitCode.ShouldBe(0);
        r.Out.ShouldContain("Commands:");
        r.Out.ShouldContain("info");
    }

    [Fact]
    public void Every_verb_has_help_with_examples()
    {
        var root = ToolSharp.Cli.ToolSharpCli.BuildRoot(new ToolSharp.Cli.Infrastructure.CliContext(TextReader.Null, TextWriter.Null, TextWriter.Null));
        var leaves = new List<string[]>();
        void Visit(System.CommandLine.Command c, string[] path)
        {
            var subs = c.Subcommands.ToList();
            if (subs.Count == 0) leaves.Add(path);
            foreach (var s in subs) Visit(s, [.. path, s.Name]);
        }
        Visit(root, []);
        leaves.ShouldNotBeEmpty();
        foreach (var path in leaves)
        {
            var r = CliRunner.Run([.. path, "--help"]);
            r.ExitCode.ShouldBe(0, string.Join(' ', path));
            r.Out.ShouldContain("Examples:", customMessage: $"'toolsharp {string.Join(' ', path)} --help' has no examples");
            r.Out.ShouldContain("toolsharp " + path[0]);
        }
    }

    [Fact]
    public void Unknown_option_is_a_usage_error_with_one_line_and_exit_2()
    {
        var r = CliRunner.Run("info", "--bogus");
        r.ExitCode.ShouldBe(2);
        r.Err.ShouldContain("error: Unrecognized command or argument '--bogus'");
        r.Err.ShouldContain("see 'toolsharp info --help'");
        r.Err.ShouldNotContain("   at ");
    }

    [Fact]
    public void Unknown_verb_is_a_usage_error()
    {
        CliRunner.Run("frobnicate").ExitCode.ShouldBe(2);
    }

    [Fact]
    public void Info_reports_the_data_folder()
    {
        var r = CliRunner.Run("info");
        r.ExitCode.ShouldBe(0);
        r.Out.ShouldContain("shared data:");
    }

    [Fact]
    public void Info_names_the_gemm_backend_that_runs()
    {
        var r = CliRunner.Run("info");
        r.ExitCode.ShouldBe(0);
        r.Out.ShouldContain($"GEMM: {Tensors.Kernels.Gemm.ActiveName} (");
    }
}
