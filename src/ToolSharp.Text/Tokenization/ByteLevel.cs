namespace ToolSharp.Text.Tokenization;

/// <summary>GPT-2's reversible byte → printable-character table used by byte-level BPE vocabularies.</summary>
/// <remarks>Printable Latin-1 bytes map to themselves; the other 68 bytes map to U+0100 onwards, in byte order.</remarks>
public static class ByteLevel
{
    public static readonly char[] ToUnicode = Build();

    public static readonly IReadOnlyDictionary<char, byte> ToByte = ToUnicode.Select((c, b) => (c, (byte)b)).ToDictionary(x => x.c, x => x.Item2);

    private static char[] Build()
    {
        var table = new char[256];
        var isDirect = new bool[256];
        foreach (var (lo, hi) in new[] { ('!', '~'), ('¡', '¬'), ('®', 'ÿ') })
            for (var c = lo; c <= hi; c++) isDirect[c] = true;
        var next = 256;
        for (var b = 0; b < 256; b++) table[b] = isDirect[b] ? (char)b : (char)next++;
        return table;
    }
}
