using System.Text.RegularExpressions;
using ToolSharp.Core.Data;

namespace ToolSharp.Evaluation.Tests;

/// <summary>The folders of ToolSharp.Evaluation depend on each other one way: no folder reaches back into one that uses it.</summary>
public class FolderDependencyTests
{
    private static string Source => Path.Combine(ToolSharpData.FindRepositoryRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("repository root not found"), "src", "ToolSharp.Evaluation");

    /// <summary>Folder → the folders its code names (a using directive, ToolSharp.Evaluation.X.…, or a relative X.Type), comments left out.</summary>
    private static Dictionary<string, HashSet<string>> Graph()
    {
        var folders = Directory.GetDirectories(Source).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).Select(f => f!).ToList();
        var names = string.Join("|", folders);
        var reference = new Regex($@"ToolSharp\.Evaluation\.({names})\b|(?<![\w.])({names})\.[A-Z]");
        return folders.ToDictionary(f => f, f => Directory.EnumerateFiles(Path.Combine(Source, f), "*.cs", SearchOption.AllDirectories)
            .SelectMany(File.ReadLines)
            .Select(line => line.Split("//")[0])
            .SelectMany(line => reference.Matches(line).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value))
            .Where(g => g != f)
            .ToHashSet());
    }

    [Fact]
    public void The_store_and_reports_do_not_depend_on_sweeps()
    {
        var graph = Graph();
        graph["Store"].ShouldNotContain("Sweeps");
        graph["Reports"].ShouldNotContain("Sweeps");
        graph["Sweeps"].ShouldContain("Store");
    }

    [Fact]
    public void No_folder_depends_on_itself_through_others()
    {
        var graph = Graph();
        foreach (var start in graph.Keys)
        {
            var seen = new HashSet<string>();
            var stack = new Stack<(string Folder, string Path)>(graph[start].Select(g => (g, start + " → " + g)));
            while (stack.Count > 0)
            {
                var (folder, path) = stack.Pop();
                folder.ShouldNotBe(start, "loop: " + path);
                if (!seen.Add(folder)) continue;
                foreach (var next in graph[folder]) stack.Push((next, path + " → " + next));
            }
        }
    }
}
