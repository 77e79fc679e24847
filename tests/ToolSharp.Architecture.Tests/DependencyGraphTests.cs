using System.Reflection;
using System.Xml.Linq;

using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.Slices.SliceRuleDefinition;

namespace ToolSharp.Architecture.Tests;

/// <summary>The layers as docs/conventions.md draws them, checked on the project files and on the compiled assemblies,
/// so a back-arrow, a dead reference or a folder cycle fails CI.</summary>
public class DependencyGraphTests
{
    /// <summary>Each layer and the layers it may reference (each only earlier ones).</summary>
    public static readonly IReadOnlyList<(string Layer, string[] Allowed)> Layers =
    [
        ("Core", []),
        ("Text", ["Core"]),
        ("Tensors", []),
        ("Models", ["Core", "Text", "Tensors"]),
        ("Environments", ["Core"]),
        ("Evaluation", ["Core", "Environments"]),
        ("Inference", ["Core", "Text", "Models", "Environments", "Evaluation"]),
        ("Serving", ["Core", "Models", "Evaluation", "Inference"]),
        ("Training", ["Core", "Text", "Tensors", "Models", "Environments", "Inference"]),
        ("Cli", ["Core", "Text", "Tensors", "Models", "Environments", "Evaluation", "Inference", "Serving", "Training"]),
    ];

    private static readonly string Root = FindRoot();

    private static readonly Lazy<ArchUnitNET.Domain.Architecture> Compiled = new(() =>
        new ArchLoader().LoadAssemblies(Layers.Select(l => AssemblyOf(l.Layer)).ToArray()).Build());

    /// <summary>A layer's compiled assembly (the CLI's is named after the command).</summary>
    private static Assembly AssemblyOf(string layer) => Assembly.Load(layer == "Cli" ? "toolsharp" : "ToolSharp." + layer);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ToolSharp.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("ToolSharp.sln not found above " + AppContext.BaseDirectory);
    }

    private static IReadOnlyList<string> ProjectReferences(string layer) =>
        XDocument.Load(Path.Combine(Root, "src", "ToolSharp." + layer, $"ToolSharp.{layer}.csproj"))
            .Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/'))["ToolSharp.".Length..])
            .Order()
            .ToList();

    [Fact]
    public void Every_src_project_is_a_layer()
    {
        var projects = Directory.GetDirectories(Path.Combine(Root, "src")).Select(Path.GetFileName).Where(n => n!.StartsWith("ToolSharp.", StringComparison.Ordinal));
        projects.Select(p => p!["ToolSharp.".Length..]).Order().ShouldBe(Layers.Select(l => l.Layer).Order());
    }

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void A_project_references_only_the_layers_it_may(string layer)
    {
        var allowed = Layers.Single(l => l.Layer == layer).Allowed;
        var index = Layers.Select(l => l.Layer).ToList().IndexOf(layer);
        foreach (var reference in ProjectReferences(layer))
        {
            allowed.ShouldContain(reference, $"ToolSharp.{layer} references ToolSharp.{reference}, which it may not (see docs/conventions.md)");
            Layers.Select(l => l.Layer).ToList().IndexOf(reference).ShouldBeLessThan(index, $"{reference} is a later layer than {layer}");
        }
    }

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void A_project_uses_every_project_it_references(string layer)
    {
        // The compiler keeps only references whose types are used, so a dead ProjectReference is missing here.
        var used = AssemblyOf(layer).GetReferencedAssemblies()
            .Select(a => a.Name!).Where(n => n.StartsWith("ToolSharp.", StringComparison.Ordinal)).Select(n => n["ToolSharp.".Length..]).Order().ToList();
        ProjectReferences(layer).ShouldBe(used, $"ToolSharp.{layer}: a referenced project it does not use is a dead reference; one it uses without a reference cannot happen");
    }

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void The_folders_of_a_project_form_no_cycle(string layer) =>
        Slices().Matching($"ToolSharp.{layer}.(*)").Should().BeFreeOfCycles().Check(Compiled.Value);

    public static TheoryData<string> LayerNames()
    {
        var data = new TheoryData<string>();
        foreach (var (layer, _) in Layers) data.Add(layer);
        return data;
    }
}
