using System.Numerics;
using ToolSharp.Core.Formats;
using ToolSharp.Core.Randomness;
using ToolSharp.Environments.Bfcl.MultiTurn;
using ToolSharp.Environments.Bfcl.Python;

namespace ToolSharp.Environments.Tests.Bfcl.MultiTurn;

/// <summary>Seeded mutations of an entry's ground truth, as a model might get it wrong: a call dropped, duplicated,
/// swapped with its neighbour, moved to the next turn, given a changed argument (value or type), renamed to another
/// function, or a turn's calls split over several steps.</summary>
internal static class BfclMutations
{
    public const int Kinds = 7;

    public sealed record Case(int Number, string Id, string Kind, List<List<List<string>>> Result);

    public static IEnumerable<Case> Generate(IReadOnlyList<BfclMultiTurnEntry> entries, int count, ulong seed)
    {
        var random = new SeededRandom(seed);
        var names = entries.SelectMany(e => e.GroundTruth.SelectMany(t => t)).Select(CallName).Distinct().Order(StringComparer.Ordinal).ToList();
        for (var n = 0; n < count; n++)
        {
            var entry = entries[random.Next(entries.Count)];
            var turns = entry.GroundTruth.Select(t => t.ToList()).ToList();
            var kind = Mutate(turns, random, n % Kinds, names);
            // Each non-empty turn as one step, except for the split kind, which spreads a turn's calls over steps.
            var result = turns.Select(t => t.Count == 0 ? new List<List<string>>() : [t]).ToList();
            if (kind == "split")
            {
                var t = Pick(random, result, r => r.Count == 1 && r[0].Count > 1);
                if (t >= 0) result[t] = result[t][0].Select(c => new List<string> { c }).ToList();
            }
            yield return new Case(n, entry.Id, kind, result);
        }
    }

    private static string Mutate(List<List<string>> turns, SeededRandom random, int kind, IReadOnlyList<string> names)
    {
        var t = Pick(random, turns, x => x.Count > 0);
        if (t < 0) return "none";
        var turn = turns[t];
        var i = random.Next(turn.Count);
        switch (kind)
        {
            case 0:
                turn.RemoveAt(i);
                return "drop";
            case 1:
                turn.Insert(i, turn[i]);
                return "duplicate";
            case 2:
                if (turn.Count < 2) goto case 0;
                var j = i == turn.Count - 1 ? i - 1 : i + 1;
                (turn[i], turn[j]) = (turn[j], turn[i]);
                return "swap";
            case 3:
                if (t + 1 >= turns.Count) goto case 0;
                turns[t + 1].Insert(0, turn[i]);
                turn.RemoveAt(i);
                return "move";
            case 4:
                var changed = ChangeArgument(turn[i], random);
                if (changed is null) goto case 1;
                turn[i] = changed;
                return "argument";
            case 5:
                var call = turn[i];
                var name = CallName(call);
                turn[i] = names[random.Next(names.Count)] + call[name.Length..];
                return "rename";
            default:
                return "split";
        }
    }

    private static int Pick<T>(SeededRandom random, List<T> items, Func<T, bool> ok)
    {
        var candidates = Enumerable.Range(0, items.Count).Where(k => ok(items[k])).ToList();
        return candidates.Count == 0 ? -1 : candidates[random.Next(candidates.Count)];
    }

    private static string CallName(string call) => call[..call.IndexOf('(')].Trim();

    /// <summary>The call with one argument changed (re-rendered as BFCL's decoder writes calls), or null without arguments.</summary>
    private static string? ChangeArgument(string callText, SeededRandom random)
    {
        var call = (PythonExpression.Call)PythonSyntax.ParseExpression(callText).Expression!;
        var positional = call.Positional.Select(p => PyLiteral.Evaluate(p)).ToList();
        var keywords = call.Keywords.Select(k => (k.Key, Value: PyLiteral.Evaluate(k.Value))).ToList();
        var total = positional.Count + keywords.Count;
        if (total == 0) return null;
        var k = random.Next(total);
        if (k < positional.Count) positional[k] = Change(positional[k], random);
        else keywords[k - positional.Count] = (keywords[k - positional.Count].Key, Change(keywords[k - positional.Count].Value, random));
        var args = positional.Select(Py.Repr).Concat(keywords.Select(p => $"{p.Key}={Py.Repr(p.Value)}"));
        return $"{call.Target}({string.Join(",", args)})";
    }

    private static object? Change(object? value, SeededRandom random)
    {
        var retype = random.Next(4) == 0;
        return value switch
        {
            string s when retype => s.Length > 0 && s.All(char.IsAsciiDigit) ? BigInteger.Parse(s) : (object?)Py.Int(s.Length),
            string s => random.Next(3) switch
            {
                0 => s + "_x",
                1 => s.ToUpperInvariant() == s ? s.ToLowerInvariant() : s.ToUpperInvariant(),
                _ => s.Length > 1 ? s[..^1] : "",
            },
            bool b => retype ? Py.Int(b ? 1 : 0) : !b,
            BigInteger i when retype => random.Next(2) == 0 ? (double)i : i.ToString(),
            BigInteger i => i + (random.Next(2) == 0 ? 1 : -1),
            double d when retype => Math.Floor(d) == d ? new BigInteger(d) : (object?)Py.Str(d),
            double d => d * 1.5,
            PyList l when l.Count > 0 => new PyList(l.Items.Skip(1).ToList()),
            PyList => Py.List("x"),
            PyDict d => d.Count > 0 ? Py.Dict(d.Items().Skip(1).ToArray()) : Py.Dict(("x", 1)),
            null => "None",
            _ => value,
        };
    }
}
