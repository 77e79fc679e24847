using System.Text.Json;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;

namespace ToolSharp.Core.Formats;

/// <summary>Plain JSON: one call object <c>{"name": …, "arguments": {…}}</c> or an array of them, optionally in a ```json code fence.</summary>
/// <remarks>Output that does not start with <c>{</c> or <c>[</c> (after an optional code fence) is content, not a call.</remarks>
public sealed class JsonFormat : ToolCallFormat
{
    public override string Name => "json";

    public override string Description => "a JSON object {\"name\": …, \"arguments\": {…}} or an array of them";

    public override string Format(IReadOnlyList<ToolCall> calls) => calls.Count switch
    {
        0 => "",
        1 => JsonCallObject.Write(calls[0]),
        _ => "[" + string.Join(", ", calls.Select(c => JsonCallObject.Write(c))) + "]",
    };

    public override string DescribeTools(IReadOnlyList<ToolSpec> tools) =>
        "You can call these functions:\n" + JsonCallObject.ToolLines(tools) +
        "\n\nTo call functions, reply with only a JSON object {\"name\": <function-name>, \"arguments\": <args-object>}, " +
        "or a JSON array of such objects for several calls. Otherwise reply in plain text.";

    protected override void ParseBody(string text, CallParseBuilder output)
    {
        var (inner, innerOffset, before, after) = CodeFence.Unwrap(text, "json");
        var i = JsonScanner.SkipWhitespace(inner, 0);
        if (i >= inner.Length || (inner[i] != '{' && inner[i] != '['))
        {
            output.Content.Append(text);
            return;
        }
        output.Content.Append(before);
        var end = JsonScanner.ScanComposite(inner, i);
        var json = end < 0 ? inner[i..] : inner[i..end];
        if (!JsonValues.TryParse(json, out var value, out var error, out _))
        {
            output.Error(ToolCallErrorKind.MalformedJson, $"invalid JSON at offset {innerOffset + i}: {error}", innerOffset + i);
            return;
        }
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                var call = JsonCallObject.Read(item, innerOffset + i, output);
                if (call is not null) output.Calls.Add(call);
            }
        }
        else
        {
            var call = JsonCallObject.Read(value, innerOffset + i, output);
            if (call is not null) output.Calls.Add(call);
        }
        if (end >= 0) output.Content.Append(inner, end, inner.Length - end);
        output.Content.Append(after);
    }
}
