using System.Collections;
using System.Diagnostics.CodeAnalysis;
using ToolSharp.Core.Errors;
using ToolSharp.Core.Tools;

namespace ToolSharp.Environments.Tools;

/// <summary>The tools available in one place (an episode, an MCP server), by unique name, in the order they were added.</summary>
public sealed class ToolRegistry : IReadOnlyCollection<ITool>
{
    private readonly List<ITool> _tools = [];
    private readonly Dictionary<string, ITool> _byName = new(StringComparer.Ordinal);

    public ToolRegistry()
    {
    }

    public ToolRegistry(IEnumerable<ITool> tools)
    {
        foreach (var tool in tools) Add(tool);
    }

    /// <summary>Adds a tool; a second tool with the same name is an error (the model could not tell them apart).</summary>
    public ToolRegistry Add(ITool tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        if (!_byName.TryAdd(tool.Spec.Name, tool))
            throw new ToolSharpException($"tool '{tool.Spec.Name}' is registered twice; tool names must be unique");
        _tools.Add(tool);
        return this;
    }

    public bool TryGet(string name, [NotNullWhen(true)] out ITool? tool) => _byName.TryGetValue(name, out tool);

    /// <summary>The tool with this name, or an error listing the names that exist.</summary>
    public ITool this[string name] => TryGet(name, out var tool)
        ? tool
        : throw new ToolSharpException($"no tool named '{name}' (available: {string.Join(", ", _tools.Select(t => t.Spec.Name))})");

    /// <summary>The specs offered to the model, in registration order.</summary>
    public IReadOnlyList<ToolSpec> Specs => _tools.Select(t => t.Spec).ToList();

    public int Count => _tools.Count;

    public IEnumerator<ITool> GetEnumerator() => _tools.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
