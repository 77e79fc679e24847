using System.Text;

namespace ToolSharp.Text.Tokenization;

/// <summary>Unicode NFC (canonical decomposition, canonical ordering, canonical composition) from generated tables.</summary>
/// <remarks>
/// The build uses InvariantGlobalization, under which <see cref="string.Normalize()"/> leaves non-ASCII text
/// unchanged, so the normalizer that tokenizer.json asks for is implemented here (tables: NfcTables.g.cs).
/// </remarks>
internal static partial class Nfc
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    private static Dictionary<int, (int First, int Second)> DecompositionMap => Maps.Decomposition;
    private static Dictionary<long, int> CompositionMap => Maps.Composition;

    // A nested class so the maps are built after the generated arrays (initialization order across partial files is unspecified).
    private static class Maps
    {
        public static readonly Dictionary<int, (int First, int Second)> Decomposition = BuildDecompositions();
        public static readonly Dictionary<long, int> Composition = BuildCompositions();
    }

    /// <summary>The NFC form of <paramref name="text"/>; the same instance when nothing changes.</summary>
    public static string Normalize(string text)
    {
        // Fast path: no character at or above U+0300 can decompose, reorder or compose.
        if (!text.AsSpan().ContainsAnyExceptInRange('\0', '\u02FF')) return text;
        var cps = new List<int>(text.Length);
        for (var i = 0; i < text.Length;)
        {
            var r = Rune.GetRuneAt(text, i);
            Decompose(r.Value, cps);
            i += r.Utf16SequenceLength;
        }
        Reorder(cps);
        Compose(cps);
        var sb = new StringBuilder(text.Length);
        foreach (var cp in cps) sb.Append(new Rune(cp).ToString());
        var result = sb.ToString();
        return result == text ? text : result;
    }

    public static int CombiningClass(int cp)
    {
        if (cp < 0x300) return 0;
        int lo = 0, hi = CombiningRanges.Length / 3 - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            if (cp < CombiningRanges[mid * 3]) hi = mid - 1;
            else if (cp > CombiningRanges[mid * 3 + 1]) lo = mid + 1;
            else return CombiningRanges[mid * 3 + 2];
        }
        return 0;
    }

    private static void Decompose(int cp, List<int> output)
    {
        if (cp >= SBase && cp < SBase + SCount)
        {
            var s = cp - SBase;
            output.Add(LBase + s / NCount);
            output.Add(VBase + s % NCount / TCount);
            if (s % TCount != 0) output.Add(TBase + s % TCount);
            return;
        }
        if (cp >= 0xC0 && DecompositionMap.TryGetValue(cp, out var d))
        {
            Decompose(d.First, output);
            if (d.Second >= 0) Decompose(d.Second, output);
            return;
        }
        output.Add(cp);
    }

    /// <summary>Canonical ordering: a stable sort of each run of non-starters by combining class.</summary>
    private static void Reorder(List<int> cps)
    {
        for (var i = 1; i < cps.Count; i++)
        {
            var ccc = CombiningClass(cps[i]);
            if (ccc == 0) continue;
            var j = i;
            while (j > 0 && CombiningClass(cps[j - 1]) > ccc)
            {
                (cps[j - 1], cps[j]) = (cps[j], cps[j - 1]);
                j--;
            }
        }
    }

    private static void Compose(List<int> cps)
    {
        if (cps.Count < 2) return;
        var starter = -1;
        var lastClass = -1;
        var write = 0;
        for (var read = 0; read < cps.Count; read++)
        {
            var cp = cps[read];
            var ccc = CombiningClass(cp);
            // A character composes with the last starter unless blocked by an intervening character of equal or higher class.
            if (starter >= 0 && (lastClass < ccc || (lastClass == 0 && write - 1 == starter)) && TryCompose(cps[starter], cp, out var composite))
            {
                cps[starter] = composite;
                continue;
            }
            if (ccc == 0)
            {
                starter = write;
                lastClass = 0;
            }
            else
            {
                lastClass = ccc;
            }
            cps[write++] = cp;
        }
        cps.RemoveRange(write, cps.Count - write);
    }

    private static bool TryCompose(int first, int second, out int composite)
    {
        if (first >= LBase && first < LBase + LCount && second >= VBase && second < VBase + VCount)
        {
            composite = SBase + ((first - LBase) * VCount + (second - VBase)) * TCount;
            return true;
        }
        if (first >= SBase && first < SBase + SCount && (first - SBase) % TCount == 0 && second > TBase && second < TBase + TCount)
        {
            composite = first + (second - TBase);
            return true;
        }
        return CompositionMap.TryGetValue(((long)first << 21) | (uint)second, out composite);
    }

    private static Dictionary<int, (int, int)> BuildDecompositions()
    {
        var map = new Dictionary<int, (int, int)>(Decompositions.Length / 3);
        for (var i = 0; i < Decompositions.Length; i += 3) map[Decompositions[i]] = (Decompositions[i + 1], Decompositions[i + 2]);
        return map;
    }

    private static Dictionary<long, int> BuildCompositions()
    {
        var map = new Dictionary<long, int>(Compositions.Length / 3);
        for (var i = 0; i < Compositions.Length; i += 3) map[((long)Compositions[i] << 21) | (uint)Compositions[i + 1]] = Compositions[i + 2];
        return map;
    }
}
