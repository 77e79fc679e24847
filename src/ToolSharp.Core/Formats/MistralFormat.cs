using System.Text.Json;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;

namespace ToolSharp.Core.Formats;

/// <summary>Mistral: <c>[TOOL_CALLS][{"name": …, "arguments": {…}, "id": …}, …]</c>; also reads the v11+ form <c>[TOOL_CALLS]name[ARGS]{…}</c>.</summary>
public sealed class MistralFormat : ToolCallFormat
{
    public const string Marker = "[TOOL_CALLS]";
    private const string ArgsMarker = "[ARGS]";

    public override string Name => "mistral";

    public override string Description => "[TOOL_CALLS][{\"name\": …, \"arguments\": {…}}, …] (Mistral)";

    public override string Format(IReadOnlyList<ToolCall> calls) =>
        calls.Count == 0 ? "" : Marker + "[" + string.Join(", ", calls.Select(c => JsonCallObject.Write(c, includeId: true))) + "]";

    public override string DescribeTools(IReadOnlyList<ToolSpec> tools) =>
        "[AVAILABLE_TOOLS][" + string.Join(", ", JsonCallObject.ToolLines(tools).Split('\n')) + "][/AVAILABLE_TOOLS]\n" +
        "To call tools, reply with [TOOL_CALLS] followed by a JSON list of {\"name\": …, \"arguments\": {…}} objects.";

    protected override void ParseBody(string text, CallParseBuilder output)
    {
        var marker = text.IndexOf(Marker, StringComparison.Ordinal);
        if (marker < 0)
        {
            output.Content.Append(text);
            return;
        }
        output.Content.Append(text, 0, marker);
        var body = text[(marker + Marker.Length)..];
        if (body.TrimEnd().EndsWith("</s>", StringComparison.Ordinal)) body = body.TrimEnd()[..^4];
        var offset = marker + Marker.Length;
        var i = JsonScanner.SkipWhitespace(body, 0);
        if (i < body.Length && body[i] == '[') ParseList(body, i, offset, output);
        else ParseNamedArgs(body, offset, output);
    }

    private static void ParseList(string body, int i, int offset, CallParseBuilder output)
    {
        var end = JsonScanner.ScanComposite(body, i);
        var json = end < 0 ? body[i..] : body[i..end];
        if (!JsonValues.TryParse(json, out var list, out var error, out _))
        {
            output.Error(ToolCallErrorKind.MalformedJson, $"invalid JSON after [TOOL_CALLS] at offset {offset + i}: {error}", offset + i);
            return;
        }
        foreach (var item in list.EnumerateArray())
        {
            var call = JsonCallObject.Read(item, offset + i, output);
            if (call is not null) output.Calls.Add(call);
        }
        if (end >= 0) output.Content.Append(body, end, body.Length - end);
    }

    // v11+ tokenizers: [TOOL_CALLS]name[ARGS]{...}[TOOL_CALLS]name2[ARGS]{...}
    private static void ParseNamedArgs(string body, int offset, CallParseBuilder output)
    {
        foreach (var part in body.Split(Marker))
        {
            var args = part.IndexOf(ArgsMarker, StringComparison.Ordinal);
            if (args < 0)
            {
                output.Error(ToolCallErrorKind.InvalidStructure, $"[TOOL_CALLS] at offset {offset} must be followed by a JSON list or NAME[ARGS]{{…}}", offset);
                return;
            }
            var name = part[..args].Trim();
            var json = part[(args + ArgsMarker.Length)..].Trim();
            if (!JsonValues.TryParse(json, out var value, out var error, out _))
            {
                output.Error(ToolCallErrorKind.MalformedJson, $"invalid JSON arguments for '{name}' at offset {offset}: {error}", offset);
                return;
            }
            if (value.ValueKind != JsonValueKind.Object)
            {
                output.Error(ToolCallErrorKind.InvalidStructure, $"arguments of '{name}' must be a JSON object, found {JsonValues.SchemaTypeName(value)}", offset);
                return;
            }
            output.Calls.Add(new ToolCall(name, value));
        }
    }
}
