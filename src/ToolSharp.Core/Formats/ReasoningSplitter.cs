namespace ToolSharp.Core.Formats;

/// <summary>Separates <c>&lt;think&gt;…&lt;/think&gt;</c> reasoning from the rest of a model's output.</summary>
/// <remarks>
/// Reasoning is recognised only where models put it: at the very start of the output (after whitespace). A
/// <c>&lt;/think&gt;</c> elsewhere, for instance inside a tool-call argument, is ordinary text. Templates that open the
/// block in the prompt (DeepSeek-R1, QwQ) make the output begin inside the reasoning; pass
/// <c>openedByPrompt: true</c> and everything before the first <c>&lt;/think&gt;</c> is reasoning. An unclosed block
/// (generation cut off while thinking) makes the whole rest reasoning and leaves no content.
/// </remarks>
public static class ReasoningSplitter
{
    public const string Open = "<think>";
    public const string Close = "</think>";

    public static (string? Reasoning, string Remainder) Split(string text, bool openedByPrompt = false)
    {
        int bodyStart;
        if (openedByPrompt) bodyStart = 0;
        else
        {
            var first = JsonScannerSkip(text);
            if (string.CompareOrdinal(text, first, Open, 0, Open.Length) != 0) return (null, text);
            bodyStart = first + Open.Length;
        }
        var end = text.IndexOf(Close, bodyStart, StringComparison.Ordinal);
        if (end < 0) return (text[bodyStart..].Trim(), "");
        return (text[bodyStart..end].Trim(), text[(end + Close.Length)..]);
    }

    private static int JsonScannerSkip(string text) => Json.JsonScanner.SkipWhitespace(text, 0);
}
