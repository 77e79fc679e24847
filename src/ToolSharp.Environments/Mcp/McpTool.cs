using System.Text;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Environments.Mcp;

/// <summary>A tool served by an MCP server, called through an MCP client.</summary>
/// <remarks>
/// The output is the text content of the result (blocks joined by newlines; non-text blocks are named, e.g.
/// <c>[image image/png]</c>); with no text, the structured content as compact JSON. A result the server marks
/// <c>isError</c> becomes a <see cref="ToolInvocationException"/> carrying its text, which the model then sees.
/// </remarks>
public sealed class McpTool : ITool
{
    private readonly McpClient _client;

    public McpTool(McpClient client, Tool tool)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        ArgumentNullException.ThrowIfNull(tool);
        Spec = new ToolSpec(tool.Name, tool.Description ?? "", tool.InputSchema);
    }

    public ToolSpec Spec { get; }

    public async ValueTask<string> InvokeAsync(JsonElement arguments, CancellationToken cancellationToken)
    {
        var args = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (arguments.ValueKind == JsonValueKind.Object)
            foreach (var p in arguments.EnumerateObject()) args[p.Name] = p.Value;
        var result = await _client.CallToolAsync(Spec.Name, args, cancellationToken: cancellationToken).ConfigureAwait(false);
        var text = Text(result);
        if (result.IsError == true) throw new ToolInvocationException(text.Length > 0 ? text : $"MCP tool '{Spec.Name}' reported an error");
        return text;
    }

    /// <summary>The text a model sees for an MCP tool result.</summary>
    public static string Text(CallToolResult result)
    {
        var sb = new StringBuilder();
        foreach (var block in result.Content)
        {
            if (sb.Length > 0) sb.Append('\n');
            sb.Append(block switch
            {
                TextContentBlock t => t.Text,
                ImageContentBlock i => $"[image {i.MimeType}]",
                AudioContentBlock a => $"[audio {a.MimeType}]",
                EmbeddedResourceBlock r => $"[resource {r.Resource.Uri}]",
                ResourceLinkBlock l => $"[resource link {l.Uri}]",
                _ => $"[{block.Type}]",
            });
        }
        if (sb.Length == 0 && result.StructuredContent is { } structured) return JsonValues.ToCompact(structured);
        return sb.ToString();
    }

    public override string ToString() => Spec.Name;
}
