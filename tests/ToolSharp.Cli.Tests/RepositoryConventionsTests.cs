using System.Text.RegularExpressions;
using ToolSharp.Core.Data;

namespace ToolSharp.Cli.Tests;

/// <summary>Keeps README's set-up commands and CI in agreement.</summary>
public class RepositoryConventionsTests
{
    private static string Repo => ToolSharpData.FindRepositoryRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("repository root not found");

    private static IReadOnlyList<string> ReadmeCommands()
    {
        var readme = File.ReadAllText(Path.Combine(Repo, "README.md"));
        var block = Regex.Match(readme, "```bash\n(.*?)```", RegexOptions.Singleline);
        block.Success.ShouldBeTrue("README.md must open with a bash block of set-up commands");
        return block.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void Readme_opens_with_two_commands()
    {
        var commands = ReadmeCommands();
        commands.Count.ShouldBe(2);
        commands[0].ShouldStartWith("dotnet run --project src/ToolSharp.Cli");
        commands[1].ShouldStartWith("dotnet test");
    }

    [Fact]
    public void Ci_runs_the_readme_test_command()
    {
        var ci = File.ReadAllLines(Path.Combine(Repo, ".ci", "run"));
        ci.ShouldContain(ReadmeCommands()[1]);
    }
}
