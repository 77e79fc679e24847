using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;

namespace ToolSharp.Core.Formats;

/// <summary>Hermes / Qwen2.5 / Qwen3: <c>&lt;tool_call&gt;{"name": …, "arguments": {…}}&lt;/tool_call&gt;</c>, several in a row for parallel calls.</summary>
/// <remarks>
/// The JSON inside the tags is scanned as JSON (strings respected), so a <c>&lt;/tool_call&gt;</c> inside a string argument
/// does not end the call. Text outside the tags is content.
/// </remarks>
public sealed class HermesFormat : ToolCallFormat
{
    public const string OpenTag = "<tool_call>";
    public const string CloseTag = "</tool_call>";

    public override string Name => "hermes";

    public override string Description => "<tool_call>{\"name\": …, \"arguments\": {…}}</tool_call> (Hermes, Qwen2.5, Qwen3)";

    public override IReadOnlyList<string> StopSequences => [CloseTag];

    public override string Format(IReadOnlyList<ToolCall> calls) =>
        string.Join("\n", calls.Select(c => $"{OpenTag}\n{JsonCallObject.Write(c)}\n{CloseTag}"));

    public override string DescribeTools(IReadOnlyList<ToolSpec> tools) =>
        "# Tools\n\nYou may call one or more functions to assist with the user query.\n\n" +
        "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n" +
        JsonCallObject.ToolLines(tools) +
        "\n</tools>\n\nFor each function call, return a json object with function name and arguments within " +
        "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call>";

    protected override void ParseBody(string text, CallParseBuilder output)
    {
        var pos = 0;
        while (pos < text.Length)
        {
            var open = text.IndexOf(OpenTag, pos, StringComparison.Ordinal);
            if (open < 0)
            {
                AppendContent(output, text[pos..]);
                return;
            }
            AppendContent(output, text[pos..open]);
            pos = ParseOne(text, open, output);
        }
    }

    /// <summary>Parses the call whose opening tag is at <paramref name="open"/>; returns where parsing continues.</summary>
    private static int ParseOne(string text, int open, CallParseBuilder output)
    {
        var start = JsonScanner.SkipWhitespace(text, open + OpenTag.Length);
        var close = text.IndexOf(CloseTag, start, StringComparison.Ordinal);
        var end = start < text.Length && text[start] == '{' ? JsonScanner.ScanComposite(text, start) : -1;

        if (end >= 0)
        {
            var after = JsonScanner.SkipWhitespace(text, end);
            if (string.CompareOrdinal(text, after, CloseTag, 0, CloseTag.Length) == 0)
            {
                var call = JsonCallObject.Parse(text[start..end], start, output);
                if (call is not null) output.Calls.Add(call);
                return after + CloseTag.Length;
            }
            if (close < 0)
            {
                output.Error(ToolCallErrorKind.UnterminatedTag, $"<tool_call> at offset {open} is not closed by </tool_call>", open);
                return text.Length;
            }
        }

        if (close < 0)
        {
            output.Error(ToolCallErrorKind.UnterminatedTag, $"<tool_call> at offset {open} is not closed by </tool_call>", open);
            return text.Length;
        }
        // The body is not a single well-formed JSON value followed by the closing tag: report it and resynchronise.
        var body = text[start..close].Trim();
        if (body.Length == 0) output.Error(ToolCallErrorKind.InvalidStructure, $"empty <tool_call> at offset {open}", open);
        else if (JsonValues.TryParse(body, out _, out _, out _))
            output.Error(ToolCallErrorKind.InvalidStructure, $"<tool_call> at offset {open} must hold one JSON object with \"name\" and \"arguments\"", open);
        else JsonCallObject.Parse(body, start, output);
        return close + CloseTag.Length;
    }

    private static void AppendContent(CallParseBuilder output, string text)
    {
        if (output.Content.Length > 0 && text.Length > 0 && !char.IsWhiteSpace(output.Content[^1]) && !char.IsWhiteSpace(text[0]))
            output.Content.Append('\n');
        output.Content.Append(text);
    }
}
