using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;

namespace ToolSharp.Core.Formats;

/// <summary>Llama 3.1/3.2 JSON calls: <c>{"name": …, "parameters": {…}}</c>, optionally after <c>&lt;|python_tag|&gt;</c>, several separated by <c>;</c>.</summary>
/// <remarks>
/// Llama's convention is that a tool-calling turn consists of the calls only. Output that starts with <c>{</c> (or
/// holds <c>&lt;|python_tag|&gt;</c>) is therefore read as calls; anything else is plain content. "arguments" is accepted in
/// place of "parameters".
/// </remarks>
public sealed class Llama3JsonFormat : ToolCallFormat
{
    public const string PythonTag = "<|python_tag|>";

    public override string Name => "llama3";

    public override string Description => "{\"name\": …, \"parameters\": {…}} separated by ';', optionally after <|python_tag|> (Llama 3.1/3.2)";

    public override string Format(IReadOnlyList<ToolCall> calls) =>
        string.Join("; ", calls.Select(c => JsonCallObject.Write(c, "parameters")));

    public override string FormatTurn(string? content, IReadOnlyList<ToolCall> calls) =>
        calls.Count == 0 ? content ?? "" : string.IsNullOrEmpty(content) ? Format(calls) : content + PythonTag + Format(calls);

    public override string DescribeTools(IReadOnlyList<ToolSpec> tools) =>
        "Given the following functions, please respond with a JSON for a function call with its proper arguments that best answers the given prompt.\n\n" +
        "Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its value}. Do not use variables.\n\n" +
        JsonCallObject.ToolLines(tools);

    protected override void ParseBody(string text, CallParseBuilder output)
    {
        text = StripEndMarkers(text);
        // Calls either make up the whole output or follow <|python_tag|>; a tag inside a call's strings is just text.
        var start = JsonScanner.SkipWhitespace(text, 0);
        if (start >= text.Length || text[start] != '{')
        {
            var tag = text.IndexOf(PythonTag, StringComparison.Ordinal);
            if (tag < 0)
            {
                output.Content.Append(text);
                return;
            }
            output.Content.Append(text, 0, tag);
            start = tag + PythonTag.Length;
        }
        ParseCallList(text, start, ';', output);
    }

    /// <summary>Reads JSON call objects separated by <paramref name="separator"/> from <paramref name="start"/>; trailing text becomes content.</summary>
    internal static void ParseCallList(string text, int start, char separator, CallParseBuilder output)
    {
        var i = JsonScanner.SkipWhitespace(text, start);
        while (i < text.Length)
        {
            if (text[i] != '{')
            {
                output.Error(ToolCallErrorKind.InvalidStructure, $"expected a JSON call object at offset {i}, found '{Preview(text, i)}'", i);
                return;
            }
            var end = JsonScanner.ScanComposite(text, i);
            if (end < 0)
            {
                JsonCallObject.Parse(text[i..], i, output);
                return;
            }
            var call = JsonCallObject.Parse(text[i..end], i, output);
            if (call is not null) output.Calls.Add(call);
            i = JsonScanner.SkipWhitespace(text, end);
            if (i < text.Length && text[i] == separator) i = JsonScanner.SkipWhitespace(text, i + 1);
            else
            {
                output.Content.Append(text, i, text.Length - i);
                return;
            }
        }
    }

    private static string StripEndMarkers(string text)
    {
        foreach (var marker in new[] { "<|eom_id|>", "<|eot_id|>" })
        {
            if (text.TrimEnd().EndsWith(marker, StringComparison.Ordinal)) text = text.TrimEnd()[..^marker.Length];
        }
        return text;
    }

    private static string Preview(string text, int i) => text.Length - i <= 20 ? text[i..] : text.Substring(i, 20) + "…";
}
