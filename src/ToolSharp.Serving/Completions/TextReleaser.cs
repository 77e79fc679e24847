namespace ToolSharp.Serving.Completions;

/// <summary>Decides how much of a reply's text so far may be streamed as content: never text that might still change
/// or belong elsewhere.</summary>
/// <remarks>
/// Held back: a trailing replacement character (a byte token in the middle of a UTF-8 character), any tail that could
/// be the start of a stop string (the returned text is cut before a stop string) or of a marker (a tool-call opening,
/// <c>&lt;think&gt;</c>), and, when the reply will be parsed, leading and trailing whitespace (the parsed content is
/// trimmed). Once a marker appears nothing more is released: the rest is the parser's, sent when the reply is done.
/// </remarks>
public sealed class TextReleaser(IReadOnlyList<string> stops, IReadOnlyList<string> markers, bool trimmed)
{
    private bool _frozen;
    private int _start;

    /// <summary>Text released so far.</summary>
    public string Released { get; private set; } = "";

    /// <summary>The new text that may be released given the whole reply text so far.</summary>
    public string Next(string text)
    {
        if (_frozen) return "";
        var end = text.Length;
        foreach (var marker in markers)
        {
            var at = text.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0 && at < end)
            {
                end = at;
                _frozen = true;
            }
        }
        foreach (var stop in stops)
        {
            var at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && at < end) end = at;
        }
        if (!_frozen)
        {
            while (end > 0 && text[end - 1] == '\uFFFD') end--;
            end -= PartialTail(text.AsSpan(0, end));
        }
        if (trimmed) while (end > 0 && char.IsWhiteSpace(text[end - 1])) end--;
        if (trimmed && Released.Length == 0) _start = LeadingWhitespace(text, end);
        if (end <= _start) return "";
        var candidate = text[_start..end];
        if (candidate.Length <= Released.Length || !candidate.StartsWith(Released, StringComparison.Ordinal)) return "";
        var delta = candidate[Released.Length..];
        Released = candidate;
        return delta;
    }

    /// <summary>Length of the longest tail of <paramref name="text"/> that is a proper prefix of a stop string or marker.</summary>
    private int PartialTail(ReadOnlySpan<char> text)
    {
        var longest = 0;
        foreach (var s in stops.Concat(markers))
            for (var n = Math.Min(s.Length - 1, text.Length); n > longest; n--)
                if (text[^n..].SequenceEqual(s.AsSpan(0, n))) { longest = n; break; }
        return longest;
    }

    private static int LeadingWhitespace(string text, int end)
    {
        var i = 0;
        while (i < end && char.IsWhiteSpace(text[i])) i++;
        return i;
    }
}
