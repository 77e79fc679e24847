using ToolSharp.Core.WireFormats;
using System.Text.Json;
using ToolSharp.Core.Errors;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;

namespace ToolSharp.Cli.Infrastructure;

/// <summary>Reads tool definitions from the JSON files users already have: OpenAI <c>tools</c> arrays, BFCL function docs, or entries holding them.</summary>
public static class ToolFiles
{
    /// <summary>Accepts <c>[tool, …]</c>, <c>{"tools": […]}</c>, or a BFCL entry <c>{"function": […]}</c>; each tool in OpenAI or bare-function shape.</summary>
    public static IReadOnlyList<ToolSpec> Read(string path)
    {
        var root = JsonValues.ParseFile(path);
        return root.ValueKind switch
        {
            JsonValueKind.Array => OpenAiChatJson.ReadTools(root, path, "$"),
            JsonValueKind.Object when root.TryGetProperty("tools", out var tools) => OpenAiChatJson.ReadTools(tools, path, "tools"),
            JsonValueKind.Object when root.TryGetProperty("function", out var fns) => OpenAiChatJson.ReadTools(fns, path, "function"),
            _ => throw new InputFormatException(path, "$", "an array of tools, or an object with \"tools\" or \"function\"", JsonValues.SchemaTypeName(root)),
        };
    }
}
