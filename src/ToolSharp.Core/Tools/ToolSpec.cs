using System.Text.Json;
using ToolSharp.Core.Json;

namespace ToolSharp.Core.Tools;

/// <summary>A tool the model may call: name, description and a JSON Schema for its arguments.</summary>
public sealed class ToolSpec : IEquatable<ToolSpec>
{
    public ToolSpec(string name, string description, JsonElement parameters)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Description = description ?? "";
        Parameters = parameters.ValueKind == JsonValueKind.Undefined ? EmptyParameters : parameters;
    }

    /// <summary>A schema for a tool that takes no arguments.</summary>
    public static readonly JsonElement EmptyParameters = JsonValues.Parse("""{"type":"object","properties":{}}""");

    /// <summary>The function name; BFCL names may contain dots (<c>math.factorial</c>).</summary>
    public string Name { get; }

    public string Description { get; }

    /// <summary>A JSON Schema (standard vocabulary: BFCL aliases such as <c>dict</c> are already normalised).</summary>
    public JsonElement Parameters { get; }

    /// <summary>Names of the declared parameters, in declaration order.</summary>
    public IReadOnlyList<string> ParameterNames =>
        Parameters.ValueKind == JsonValueKind.Object && Parameters.TryGetProperty("properties", out var props) &&
        props.ValueKind == JsonValueKind.Object
            ? props.EnumerateObject().Select(p => p.Name).ToList()
            : [];

    /// <summary>Names of the required parameters.</summary>
    public IReadOnlyList<string> RequiredParameters =>
        Parameters.ValueKind == JsonValueKind.Object && Parameters.TryGetProperty("required", out var req) &&
        req.ValueKind == JsonValueKind.Array
            ? req.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];

    /// <summary>The schema of one declared parameter, if any.</summary>
    public JsonElement? ParameterSchema(string name) =>
        Parameters.ValueKind == JsonValueKind.Object && Parameters.TryGetProperty("properties", out var props) &&
        props.ValueKind == JsonValueKind.Object && props.TryGetProperty(name, out var schema)
            ? schema
            : null;

    public bool Equals(ToolSpec? other) =>
        other is not null && Name == other.Name && Description == other.Description &&
        JsonElement.DeepEquals(Parameters, other.Parameters);

    public override bool Equals(object? obj) => Equals(obj as ToolSpec);

    public override int GetHashCode() => HashCode.Combine(Name, Description);

    public override string ToString() => Name;
}
