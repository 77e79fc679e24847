using System.Text.Json;
using ToolSharp.Core.Json;

namespace ToolSharp.Core.Tools;

/// <summary>A request from the model to call one tool: a name and JSON arguments (normally an object).</summary>
/// <remarks>
/// <see cref="Arguments"/> is whatever the model produced. When an endpoint returned an arguments string that is not
/// valid JSON, it is kept as a JSON string value so that nothing is lost and the validator can report it.
/// </remarks>
public sealed class ToolCall : IEquatable<ToolCall>
{
    public ToolCall(string name, JsonElement arguments, string? id = null)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Arguments = arguments.ValueKind == JsonValueKind.Undefined ? JsonValues.EmptyObject : arguments;
        Id = id;
    }

    /// <summary>Creates a call from a JSON text of its arguments.</summary>
    public static ToolCall FromJson(string name, string argumentsJson, string? id = null) =>
        new(name, JsonValues.Parse(argumentsJson), id);

    /// <summary>The function name, possibly dotted (e.g. <c>math.factorial</c>).</summary>
    public string Name { get; }

    /// <summary>The arguments as the model produced them; an object for a well-formed call.</summary>
    public JsonElement Arguments { get; }

    /// <summary>The call id that links a tool result back to this call, when the source has one.</summary>
    public string? Id { get; }

    /// <summary>True when <see cref="Arguments"/> is a JSON object.</summary>
    public bool HasObjectArguments => Arguments.ValueKind == JsonValueKind.Object;

    public ToolCall WithId(string? id) => new(Name, Arguments, id);

    public ToolCall WithArguments(JsonElement arguments) => new(Name, arguments, Id);

    /// <summary>The arguments as compact JSON text (the OpenAI wire form of <c>function.arguments</c>).</summary>
    public string ArgumentsJson => Arguments.ValueKind == JsonValueKind.String
        ? Arguments.GetString()!
        : JsonSerializer.Serialize(Arguments, JsonValues.CompactOptions);

    public bool Equals(ToolCall? other) =>
        other is not null && Name == other.Name && Id == other.Id && JsonElement.DeepEquals(Arguments, other.Arguments);

    public override bool Equals(object? obj) => Equals(obj as ToolCall);

    public override int GetHashCode() => HashCode.Combine(Name, Id, JsonValues.Canonical(Arguments));

    public override string ToString() => $"{Name}({ArgumentsJson})";
}
