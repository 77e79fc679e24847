namespace ToolSharp.Core.Json;

/// <summary>Finds where a JSON value embedded in free text ends, respecting strings and escapes.</summary>
/// <remarks>
/// Tool-call parsers need this because a closing tag such as <c>&lt;/tool_call&gt;</c> may legitimately appear
/// inside a JSON string argument; searching for the tag first would cut the call in half.
/// </remarks>
public static class JsonScanner
{
    /// <summary>Scans one JSON object or array starting at <paramref name="start"/> (which must hold '{' or '[').</summary>
    /// <returns>The index just past the value, or -1 when the text ends first (unbalanced or unterminated string).</returns>
    public static int ScanComposite(string text, int start)
    {
        if (start >= text.Length || (text[start] != '{' && text[start] != '[')) return -1;
        var depth = 0;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
                continue;
            }
            switch (c)
            {
                case '"': inString = true; break;
                case '{' or '[': depth++; break;
                case '}' or ']':
                    depth--;
                    if (depth == 0) return i + 1;
                    break;
            }
        }
        return -1;
    }

    /// <summary>Index of the first non-whitespace character at or after <paramref name="start"/>.</summary>
    public static int SkipWhitespace(string text, int start)
    {
        while (start < text.Length && char.IsWhiteSpace(text[start])) start++;
        return start;
    }
}
