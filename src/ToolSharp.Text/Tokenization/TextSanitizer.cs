using System.Text;

namespace ToolSharp.Text.Tokenization;

/// <summary>Input clean-up shared by the tokenizers: lone surrogates and Unicode normalization.</summary>
internal static class TextSanitizer
{
    /// <summary>Replaces unpaired UTF-16 surrogates with U+FFFD.</summary>
    /// <remarks>
    /// A lone surrogate has no UTF-8 encoding; the reference (JS TextEncoder, Python's "replace" handler) turns it into
    /// U+FFFD, and both are in the same pre-tokenizer class (neither letter, number nor space), so splitting agrees.
    /// </remarks>
    public static string ReplaceLoneSurrogates(string text)
    {
        var i = IndexOfLoneSurrogate(text);
        if (i < 0) return text;
        var chars = text.ToCharArray();
        for (; i < chars.Length; i++)
        {
            var c = chars[i];
            if (char.IsHighSurrogate(c) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c)) chars[i] = '\uFFFD';
        }
        return new string(chars);
    }

    private static int IndexOfLoneSurrogate(string text)
    {
        var i = text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF');
        if (i < 0) return -1;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsSurrogate(c)) continue;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            return i;
        }
        return -1;
    }

    /// <summary>Unicode normalization (NFC only: the build's invariant globalization cannot normalize, see <see cref="Nfc"/>).</summary>
    public static string Normalize(string text, NormalizationForm form) => form switch
    {
        NormalizationForm.FormC => Nfc.Normalize(text),
        _ => throw new NotSupportedException($"Unicode normalization {form} is not implemented (only NFC)"),
    };
}
