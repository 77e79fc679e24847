using System.Text.Json;
using Microsoft.Extensions.AI;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;

namespace ToolSharp.Environments.Tools;

/// <summary>Wraps a Microsoft.Extensions.AI <see cref="AIFunction"/> as an <see cref="ITool"/>, so existing .NET agent tools plug in.</summary>
/// <remarks>
/// The spec is the function's name, description and JSON Schema. Arguments are passed as <see cref="JsonElement"/>
/// values, which <c>AIFunctionFactory</c> functions bind to their parameter types. A string result is returned as is;
/// anything else is serialised to compact JSON with the function's serializer options.
/// </remarks>
public sealed class AIFunctionTool : ITool
{
    public AIFunctionTool(AIFunction function)
    {
        Function = function ?? throw new ArgumentNullException(nameof(function));
        Spec = new ToolSpec(function.Name, function.Description, function.JsonSchema);
    }

    public AIFunction Function { get; }

    public ToolSpec Spec { get; }

    public async ValueTask<string> InvokeAsync(JsonElement arguments, CancellationToken cancellationToken)
    {
        var args = new AIFunctionArguments();
        if (arguments.ValueKind == JsonValueKind.Object)
            foreach (var p in arguments.EnumerateObject()) args[p.Name] = p.Value;
        var result = await Function.InvokeAsync(args, cancellationToken).ConfigureAwait(false);
        return result switch
        {
            null => "",
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!,
            JsonElement e => JsonValues.ToCompact(e),
            _ => JsonSerializer.Serialize(result, Function.JsonSerializerOptions),
        };
    }

    public override string ToString() => Spec.Name;
}
