using System.Text;
using System.Text.Json;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;

namespace ToolSharp.Core.Formats;

/// <summary>BFCL prompt-mode Python calls: <c>[func_a(x=1, y="s"), mod.func_b(z=[1, 2])]</c>.</summary>
/// <remarks>
/// Read by a real Python-literal parser (<see cref="PythonLiteralParser"/>), not regular expressions. Output that starts
/// with <c>[</c> or with <c>name(</c> (after an optional ```python fence) is read as calls; other output is content.
/// Only keyword arguments are accepted, as BFCL requires.
/// </remarks>
public sealed class PythonicFormat : ToolCallFormat
{
    public override string Name => "pythonic";

    public override string Description => "[func_a(x=1, y=\"s\"), mod.func_b(z=[1, 2])] (BFCL prompt mode)";

    public override string Format(IReadOnlyList<ToolCall> calls)
    {
        if (calls.Count == 0) return "";
        var sb = new StringBuilder("[");
        for (var i = 0; i < calls.Count; i++)
        {
            if (i > 0) sb.Append(", ");
            var call = calls[i];
            sb.Append(call.Name).Append('(');
            if (call.HasObjectArguments)
            {
                var first = true;
                foreach (var p in call.Arguments.EnumerateObject())
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    sb.Append(p.Name).Append('=');
                    PythonStyleJson.Write(sb, p.Value, pythonLiterals: true);
                }
            }
            sb.Append(')');
        }
        return sb.Append(']').ToString();
    }

    public override string DescribeTools(IReadOnlyList<ToolSpec> tools) =>
        "You are an expert in composing functions. You are given a question and a set of possible functions. Based on the question, " +
        "you will need to make one or more function/tool calls to achieve the purpose. If none of the functions can be used, point it out. " +
        "If the given question lacks the parameters required by the function, also point it out.\n" +
        "You should only return the function calls in your response.\n\n" +
        "If you decide to invoke any of the function(s), you MUST put it in the format of " +
        "[func_name1(params_name1=params_value1, params_name2=params_value2...), func_name2(params)]\n" +
        "You SHOULD NOT include any other text in the response.\n\n" +
        "Here is a list of functions in JSON format that you can invoke.\n" + JsonCallObject.ToolLines(tools);

    protected override void ParseBody(string text, CallParseBuilder output)
    {
        var (inner, innerOffset, before, after) = CodeFence.Unwrap(text, "python", "py", "tool_code");
        var i = JsonScanner.SkipWhitespace(inner, 0);
        if (!LooksLikeCalls(inner, i))
        {
            output.Content.Append(text);
            return;
        }
        output.Content.Append(before);
        var result = PythonLiteralParser.ParseCalls(inner, i);
        foreach (var call in result.Calls) output.Calls.Add(new ToolCall(call.Name, call.Arguments));
        if (result.Error is not null)
        {
            var kind = result.Structural ? ToolCallErrorKind.InvalidStructure : ToolCallErrorKind.MalformedJson;
            var what = result.Structural ? "invalid call" : "invalid Python call syntax";
            output.Error(kind, $"{what} at offset {innerOffset + result.ErrorPosition}: {result.Error}", innerOffset + result.ErrorPosition);
            return;
        }
        output.Content.Append(inner, result.End, inner.Length - result.End);
        output.Content.Append(after);
    }

    private static bool LooksLikeCalls(string text, int i)
    {
        if (i >= text.Length) return false;
        if (text[i] == '[') return true;
        if (!(char.IsLetter(text[i]) || text[i] == '_')) return false;
        var j = i;
        while (j < text.Length && (char.IsLetterOrDigit(text[j]) || text[j] is '_' or '.')) j++;
        return j < text.Length && text[j] == '(';
    }
}
