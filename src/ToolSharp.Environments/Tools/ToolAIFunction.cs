using System.Text.Json;
using Microsoft.Extensions.AI;
using ToolSharp.Core.Json;

namespace ToolSharp.Environments.Tools;

/// <summary>Exposes an <see cref="ITool"/> as a Microsoft.Extensions.AI <see cref="AIFunction"/> (for M.E.AI chat clients and MCP servers).</summary>
/// <remarks>Invocation goes straight to the tool: wrap calls in a <see cref="ToolExecutor"/> where limits and recording are needed.</remarks>
public sealed class ToolAIFunction(ITool tool) : AIFunction
{
    public ITool Tool { get; } = tool ?? throw new ArgumentNullException(nameof(tool));

    public override string Name => Tool.Spec.Name;

    public override string Description => Tool.Spec.Description;

    public override JsonElement JsonSchema => Tool.Spec.Parameters;

    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        var json = JsonValues.Build(w =>
        {
            w.WriteStartObject();
            foreach (var (name, value) in arguments)
            {
                w.WritePropertyName(name);
                if (value is JsonElement e) e.WriteTo(w);
                else JsonSerializer.Serialize(w, value, JsonSerializerOptions);
            }
            w.WriteEndObject();
        });
        return await Tool.InvokeAsync(json, cancellationToken).ConfigureAwait(false);
    }
}
