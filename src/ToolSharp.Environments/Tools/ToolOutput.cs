namespace ToolSharp.Environments.Tools;

/// <summary>Keeps tool output within a character budget, saying how much was cut so the model knows output is missing.</summary>
public static class ToolOutput
{
    /// <summary>The marker appended to truncated output; {0} is the number of characters removed.</summary>
    public const string MarkerFormat = "…[truncated {0} chars]";

    /// <summary>
    /// Returns <paramref name="text"/> unchanged when it fits in <paramref name="maxChars"/>; otherwise a prefix followed
    /// by the truncation marker, the whole no longer than <paramref name="maxChars"/> (unless the marker alone is longer).
    /// </summary>
    public static string Truncate(string text, int maxChars, out bool truncated)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxChars);
        if (text.Length <= maxChars)
        {
            truncated = false;
            return text;
        }
        truncated = true;
        // The marker's length depends on the count it reports, which depends on how much we keep: settle it in two steps.
        var keep = Math.Max(0, maxChars - string.Format(MarkerFormat, text.Length).Length);
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1])) keep--; // never split a surrogate pair
        return text[..keep] + string.Format(MarkerFormat, text.Length - keep);
    }
}
