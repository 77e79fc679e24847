namespace ToolSharp.Core.Formats;

/// <summary>Finds a Markdown code fence (```lang … ```) around a model's answer, which many models add unasked.</summary>
internal static class CodeFence
{
    /// <summary>Splits text into (inside of the first fence, its offset, text before, text after); without a fence the whole text is inside.</summary>
    public static (string Inner, int InnerOffset, string Before, string After) Unwrap(string text, params string[] languages)
    {
        var open = text.IndexOf("```", StringComparison.Ordinal);
        if (open < 0) return (text, 0, "", "");
        var lineEnd = text.IndexOf('\n', open);
        if (lineEnd < 0) return (text, 0, "", "");
        var lang = text[(open + 3)..lineEnd].Trim();
        if (lang.Length > 0 && !languages.Contains(lang, StringComparer.OrdinalIgnoreCase)) return (text, 0, "", "");
        var close = text.IndexOf("```", lineEnd + 1, StringComparison.Ordinal);
        if (close < 0) return (text, 0, "", "");
        return (text[(lineEnd + 1)..close], lineEnd + 1, text[..open], text[(close + 3)..]);
    }
}
