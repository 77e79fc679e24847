namespace ToolSharp.Cli.Infrastructure;

/// <summary>Formats command descriptions so that every verb's --help ends with runnable examples.</summary>
public static class Help
{
    public static string WithExamples(string summary, params string[] examples) =>
        summary + "\n\nExamples:\n" + string.Join("\n", examples.Select(e => "  " + e));
}
