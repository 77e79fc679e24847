using System.Globalization;
using System.Text;

namespace ToolSharp.Text.Templates.Jinja;

/// <summary>The filters, tests and Python methods (str, dict, list) that chat templates call.</summary>
internal static class JinjaBuiltins
{
    private static object? Arg(List<object?> args, Dictionary<string, object?> kwargs, int index, string name, object? dflt = null)
    {
        if (kwargs.TryGetValue(name, out var v)) return v;
        return index < args.Count ? args[index] : dflt;
    }

    private static string ArgString(List<object?> args, Dictionary<string, object?> kwargs, int index, string name, string? dflt = null)
    {
        var v = Arg(args, kwargs, index, name, dflt);
        return v as string ?? throw new JinjaRuntimeError($"argument '{name}' must be a string, found {JinjaOps.TypeName(v)}");
    }

    // ---------- filters ----------

    /// <summary>Applies filter <paramref name="name"/>; <paramref name="test"/> evaluates a named test (for select/reject).</summary>
    public static object? Filter(string name, object? value, List<object?> args, Dictionary<string, object?> kwargs,
        Func<string, object?, List<object?>, bool> test, Func<string, object?, List<object?>, Dictionary<string, object?>, object?> filter)
    {
        switch (name)
        {
            case "tojson":
            {
                var indent = Arg(args, kwargs, 0, "indent");
                var sortKeys = JinjaOps.Truthy(Arg(args, kwargs, 1, "sort_keys", false));
                var separators = Arg(args, kwargs, 2, "separators") as List<object?>;
                try
                {
                    return JinjaJson.Dumps(value, indent is long n ? (int)n : null, sortKeys, separators?[0] as string, separators?[1] as string);
                }
                catch (InvalidOperationException ex)
                {
                    throw new JinjaRuntimeError(ex.Message);
                }
            }
            case "trim":
            {
                var chars = Arg(args, kwargs, 0, "chars") as string;
                return chars is null ? PyStrip(Str(value), null, true, true) : PyStrip(Str(value), chars, true, true);
            }
            case "length" or "count": return JinjaOps.Length(value);
            case "list": return value is List<object?> src ? new List<object?>(src) : JinjaOps.Iterate(value);
            case "join":
            {
                var sep = Arg(args, kwargs, 0, "d", "") as string ?? "";
                var attr = Arg(args, kwargs, 1, "attribute") as string;
                return string.Join(sep, JinjaOps.Iterate(value).Select(x => Str(attr is null ? x : JinjaOps.GetAttribute(x, attr))));
            }
            case "default" or "d":
            {
                var dflt = Arg(args, kwargs, 0, "default_value", "");
                var boolean = JinjaOps.Truthy(Arg(args, kwargs, 1, "boolean", false));
                return value is JinjaUndefined || (boolean && !JinjaOps.Truthy(value)) ? dflt : value;
            }
            case "upper": return Str(value).ToUpperInvariant();
            case "lower": return Str(value).ToLowerInvariant();
            case "capitalize": { var s = Str(value); return s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant(); }
            case "title": return Title(Str(value));
            case "replace":
            {
                var s = Str(value);
                var old = ArgString(args, kwargs, 0, "old");
                var @new = ArgString(args, kwargs, 1, "new");
                var count = Arg(args, kwargs, 2, "count") is long c ? (int)c : -1;
                return Replace(s, old, @new, count);
            }
            case "items":
                return value switch
                {
                    OrderedDictionary<string, object?> d => d.Select(p => (object?)new List<object?> { p.Key, p.Value }).ToList(),
                    JinjaUndefined => new List<object?>(),
                    _ => throw new JinjaRuntimeError($"items filter expects a mapping, found {JinjaOps.TypeName(value)}"),
                };
            case "dictsort":
                return value is OrderedDictionary<string, object?> dict
                    ? dict.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase).Select(p => (object?)new List<object?> { p.Key, p.Value }).ToList()
                    : throw new JinjaRuntimeError($"dictsort expects a mapping, found {JinjaOps.TypeName(value)}");
            case "selectattr" or "rejectattr":
            {
                var attr = ArgString(args, kwargs, 0, "attribute");
                var keep = name == "selectattr";
                if (args.Count < 2) return JinjaOps.Iterate(value).Where(x => JinjaOps.Truthy(JinjaOps.GetAttribute(x, attr)) == keep).ToList();
                var testName = args[1] as string ?? throw new JinjaRuntimeError($"{name}: test name must be a string");
                var testArgs = args.Skip(2).ToList();
                return JinjaOps.Iterate(value).Where(x => test(testName, JinjaOps.GetAttribute(x, attr), testArgs) == keep).ToList();
            }
            case "select" or "reject":
            {
                var keep = name == "select";
                if (args.Count < 1) return JinjaOps.Iterate(value).Where(x => JinjaOps.Truthy(x) == keep).ToList();
                var testName = args[0] as string ?? throw new JinjaRuntimeError($"{name}: test name must be a string");
                var testArgs = args.Skip(1).ToList();
                return JinjaOps.Iterate(value).Where(x => test(testName, x, testArgs) == keep).ToList();
            }
            case "map":
            {
                if (kwargs.TryGetValue("attribute", out var a) && a is string attr)
                {
                    var hasDefault = kwargs.TryGetValue("default", out var dflt);
                    return JinjaOps.Iterate(value).Select(x =>
                    {
                        var r = JinjaOps.GetAttribute(x, attr);
                        return r is JinjaUndefined && hasDefault ? dflt : r;
                    }).ToList();
                }
                var filterName = args.Count > 0 ? args[0] as string : null;
                if (filterName is null) throw new JinjaRuntimeError("map: expected a filter name or attribute=");
                var rest = args.Skip(1).ToList();
                return JinjaOps.Iterate(value).Select(x => filter(filterName, x, rest, new Dictionary<string, object?>())).ToList();
            }
            case "first": { var l = JinjaOps.Iterate(value); return l.Count > 0 ? l[0] : new JinjaUndefined("first item of an empty sequence"); }
            case "last": { var l = JinjaOps.Iterate(value); return l.Count > 0 ? l[^1] : new JinjaUndefined("last item of an empty sequence"); }
            case "string": return Str(value);
            case "safe": return value;
            case "escape" or "e": return Str(value).Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&#34;").Replace("'", "&#39;");
            case "int":
            {
                var dflt = Arg(args, kwargs, 0, "default", 0L);
                return value switch
                {
                    long l => l,
                    bool b => b ? 1L : 0L,
                    double d => (long)Math.Truncate(d),
                    string s when long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p) => p,
                    string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var f) => (long)Math.Truncate(f),
                    _ => dflt,
                };
            }
            case "float":
            {
                var dflt = Arg(args, kwargs, 0, "default", 0.0);
                return value switch
                {
                    long l => (double)l,
                    double d => d,
                    bool b => b ? 1.0 : 0.0,
                    string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var f) => f,
                    _ => dflt,
                };
            }
            case "abs": return value is long l2 ? (object)Math.Abs(l2) : value is double d2 ? Math.Abs(d2) : throw new JinjaRuntimeError($"abs expects a number, found {JinjaOps.TypeName(value)}");
            case "round":
            {
                var precision = Arg(args, kwargs, 0, "precision", 0L) is long p ? (int)p : 0;
                var d = value is long lv ? lv : value is double dv ? dv : throw new JinjaRuntimeError("round expects a number");
                return Math.Round(d, precision, MidpointRounding.ToEven);
            }
            case "unique":
            {
                var result = new List<object?>();
                foreach (var x in JinjaOps.Iterate(value)) if (!result.Any(y => JinjaOps.Equals(x, y))) result.Add(x);
                return result;
            }
            case "reverse":
                return value is string rs ? new string(rs.Reverse().ToArray()) : Enumerable.Reverse(JinjaOps.Iterate(value)).ToList();
            case "sort":
            {
                var reverse = JinjaOps.Truthy(Arg(args, kwargs, 0, "reverse", false));
                var attr = Arg(args, kwargs, 2, "attribute") as string;
                var list = JinjaOps.Iterate(value).ToList();
                Comparison<object?> cmp = (x, y) => JinjaOps.Compare(attr is null ? x : JinjaOps.GetAttribute(x, attr), attr is null ? y : JinjaOps.GetAttribute(y, attr));
                var sorted = list.Order(Comparer<object?>.Create(cmp)).ToList();
                if (reverse) sorted.Reverse();
                return sorted;
            }
            case "sum": return JinjaOps.Iterate(value).Aggregate((object?)0L, (acc, x) => JinjaOps.Binary("+", acc, x));
            case "min": { var l = JinjaOps.Iterate(value); return l.Count == 0 ? new JinjaUndefined("min of an empty sequence") : l.Aggregate((a, b) => JinjaOps.Compare(b, a) < 0 ? b : a); }
            case "max": { var l = JinjaOps.Iterate(value); return l.Count == 0 ? new JinjaUndefined("max of an empty sequence") : l.Aggregate((a, b) => JinjaOps.Compare(b, a) > 0 ? b : a); }
            case "indent":
            {
                var width = Arg(args, kwargs, 0, "width", 4L);
                var first = JinjaOps.Truthy(Arg(args, kwargs, 1, "first", false));
                var blank = JinjaOps.Truthy(Arg(args, kwargs, 2, "blank", false));
                var pad = width is string ws ? ws : new string(' ', (int)(long)width!);
                var lines = Str(value).Split('\n');
                for (var i = 0; i < lines.Length; i++)
                {
                    if (i == 0 && !first) continue;
                    if (lines[i].Length == 0 && !blank) continue;
                    lines[i] = pad + lines[i];
                }
                return string.Join("\n", lines);
            }
            case "wordcount": return (long)Str(value).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
            case "batch":
            {
                var size = (int)(long)Arg(args, kwargs, 0, "linecount")!;
                return JinjaOps.Iterate(value).Chunk(size).Select(c => (object?)c.ToList()).ToList();
            }
            default: throw new JinjaRuntimeError($"unknown filter '{name}'");
        }
    }

    private static string Str(object? v) => PythonFormat.Str(v);

    private static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var prevLetter = false;
        foreach (var c in s)
        {
            sb.Append(prevLetter ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c));
            prevLetter = char.IsLetter(c);
        }
        return sb.ToString();
    }

    private static string Replace(string s, string old, string @new, int count)
    {
        if (count < 0) return old.Length == 0 ? string.Join(@new, s.Select(c => c.ToString()).Prepend("").Append("")) : s.Replace(old, @new, StringComparison.Ordinal);
        var sb = new StringBuilder();
        var pos = 0;
        for (var n = 0; n < count; n++)
        {
            var i = s.IndexOf(old, pos, StringComparison.Ordinal);
            if (i < 0 || old.Length == 0) break;
            sb.Append(s, pos, i - pos).Append(@new);
            pos = i + old.Length;
        }
        return sb.Append(s, pos, s.Length - pos).ToString();
    }

    /// <summary>Python's strip family: whitespace by default, else any of <paramref name="chars"/>.</summary>
    public static string PyStrip(string s, string? chars, bool left, bool right)
    {
        var a = 0;
        var b = s.Length;
        bool Strip(char c) => chars is null ? char.IsWhiteSpace(c) : chars.Contains(c);
        if (left) while (a < b && Strip(s[a])) a++;
        if (right) while (b > a && Strip(s[b - 1])) b--;
        return s[a..b];
    }

    // ---------- tests ----------

    public static bool Test(string name, object? value, List<object?> args) => name switch
    {
        "defined" => value is not JinjaUndefined,
        "undefined" => value is JinjaUndefined,
        "none" => value is null,
        "string" => value is string,
        "number" => value is long or double,
        "integer" => value is long,
        "float" => value is double,
        "boolean" => value is bool,
        "true" => value is true,
        "false" => value is false,
        "mapping" => value is OrderedDictionary<string, object?> or JinjaNamespace,
        "iterable" => value is string or List<object?> or OrderedDictionary<string, object?> or JinjaUndefined, // Undefined iterates (as empty) in Jinja2
        "sequence" => value is string or List<object?> or OrderedDictionary<string, object?>,
        "callable" => value is JinjaCallable,
        "odd" => value is long l && Math.Abs(l % 2) == 1,
        "even" => value is long e && e % 2 == 0,
        "divisibleby" => value is long x && args.Count > 0 && args[0] is long y && y != 0 && x % y == 0,
        "lower" => value is string s && s == s.ToLowerInvariant(),
        "upper" => value is string u && u == u.ToUpperInvariant(),
        "eq" or "equalto" or "==" => JinjaOps.Equals(value, One(args, name)),
        "ne" or "!=" => !JinjaOps.Equals(value, One(args, name)),
        "lt" or "lessthan" or "<" => JinjaOps.Compare(value, One(args, name)) < 0,
        "le" or "<=" => JinjaOps.Compare(value, One(args, name)) <= 0,
        "gt" or "greaterthan" or ">" => JinjaOps.Compare(value, One(args, name)) > 0,
        "ge" or ">=" => JinjaOps.Compare(value, One(args, name)) >= 0,
        "in" => JinjaOps.Contains(One(args, name), value),
        "sameas" => ReferenceEquals(value, One(args, name)) || (value is null && One(args, name) is null) || (value is bool a && One(args, name) is bool b && a == b),
        _ => throw new JinjaRuntimeError($"unknown test '{name}'"),
    };

    private static object? One(List<object?> args, string test) =>
        args.Count > 0 ? args[0] : throw new JinjaRuntimeError($"test '{test}' needs an argument");

    // ---------- methods ----------

    /// <summary>Calls a Python method on a str, dict or list value; null when there is no such method.</summary>
    public static JinjaCallable? Method(object? target, string name)
    {
        switch (target)
        {
            case string s:
                return name switch
                {
                    "startswith" => M(name, (a, k) => StartsOrEnds(s, a, start: true)),
                    "endswith" => M(name, (a, k) => StartsOrEnds(s, a, start: false)),
                    "strip" => M(name, (a, k) => PyStrip(s, a.Count > 0 ? a[0] as string : null, true, true)),
                    "lstrip" => M(name, (a, k) => PyStrip(s, a.Count > 0 ? a[0] as string : null, true, false)),
                    "rstrip" => M(name, (a, k) => PyStrip(s, a.Count > 0 ? a[0] as string : null, false, true)),
                    "split" => M(name, (a, k) => Split(s, Arg(a, k, 0, "sep") as string, Arg(a, k, 1, "maxsplit", -1L) is long m ? (int)m : -1)),
                    "rsplit" => M(name, (a, k) => RSplit(s, Arg(a, k, 0, "sep") as string, Arg(a, k, 1, "maxsplit", -1L) is long m ? (int)m : -1)),
                    "splitlines" => M(name, (a, k) => (s.EndsWith('\n') ? s[..^1] : s).Split('\n').Select(x => (object?)x.TrimEnd('\r')).Where(_ => s.Length > 0).ToList()),
                    "upper" => M(name, (a, k) => s.ToUpperInvariant()),
                    "lower" => M(name, (a, k) => s.ToLowerInvariant()),
                    "title" => M(name, (a, k) => Title(s)),
                    "capitalize" => M(name, (a, k) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant()),
                    "replace" => M(name, (a, k) => Replace(s, ArgString(a, k, 0, "old"), ArgString(a, k, 1, "new"), Arg(a, k, 2, "count") is long c ? (int)c : -1)),
                    "find" => M(name, (a, k) => (long)s.IndexOf(ArgString(a, k, 0, "sub"), StringComparison.Ordinal)),
                    "count" => M(name, (a, k) => (long)CountOccurrences(s, ArgString(a, k, 0, "sub"))),
                    "join" => M(name, (a, k) => string.Join(s, JinjaOps.Iterate(a.Count > 0 ? a[0] : null).Select(Str))),
                    "format" => M(name, (a, k) => Format(s, a, k)),
                    "isdigit" => M(name, (a, k) => s.Length > 0 && s.All(char.IsDigit)),
                    "isalpha" => M(name, (a, k) => s.Length > 0 && s.All(char.IsLetter)),
                    "isspace" => M(name, (a, k) => s.Length > 0 && s.All(char.IsWhiteSpace)),
                    _ => null,
                };
            case OrderedDictionary<string, object?> d:
                return name switch
                {
                    "get" => M(name, (a, k) => a.Count > 0 && a[0] is string key && d.TryGetValue(key, out var v) ? v : a.Count > 1 ? a[1] : null),
                    "items" => M(name, (a, k) => d.Select(p => (object?)new List<object?> { p.Key, p.Value }).ToList()),
                    "keys" => M(name, (a, k) => d.Keys.Cast<object?>().ToList()),
                    "values" => M(name, (a, k) => d.Values.ToList()),
                    _ => null,
                };
            case List<object?> l:
                return name switch
                {
                    "index" => M(name, (a, k) => (long)l.FindIndex(x => JinjaOps.Equals(x, a.Count > 0 ? a[0] : null))),
                    "count" => M(name, (a, k) => (long)l.Count(x => JinjaOps.Equals(x, a.Count > 0 ? a[0] : null))),
                    _ => null,
                };
            default:
                return null;
        }
    }

    private static JinjaCallable M(string name, Func<List<object?>, Dictionary<string, object?>, object?> f) => new(name, f);

    private static bool StartsOrEnds(string s, List<object?> args, bool start)
    {
        var candidates = args.Count > 0 && args[0] is List<object?> l ? l : args.Take(1).ToList();
        foreach (var c in candidates)
        {
            if (c is not string p) throw new JinjaRuntimeError($"{(start ? "startswith" : "endswith")} expects a string, found {JinjaOps.TypeName(c)}");
            if (start ? s.StartsWith(p, StringComparison.Ordinal) : s.EndsWith(p, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    private static int CountOccurrences(string s, string sub)
    {
        if (sub.Length == 0) return s.Length + 1;
        var n = 0;
        for (var i = s.IndexOf(sub, StringComparison.Ordinal); i >= 0; i = s.IndexOf(sub, i + sub.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    private static List<object?> Split(string s, string? sep, int maxSplit)
    {
        if (sep is null)
        {
            var parts = new List<object?>();
            var i = 0;
            while (true)
            {
                while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
                if (i >= s.Length) break;
                if (maxSplit >= 0 && parts.Count == maxSplit) { parts.Add(s[i..].TrimEnd()); break; }
                var j = i;
                while (j < s.Length && !char.IsWhiteSpace(s[j])) j++;
                parts.Add(s[i..j]);
                i = j;
            }
            return parts;
        }
        if (sep.Length == 0) throw new JinjaRuntimeError("empty separator");
        return (maxSplit < 0 ? s.Split(sep) : s.Split(sep, maxSplit + 1)).Cast<object?>().ToList();
    }

    private static List<object?> RSplit(string s, string? sep, int maxSplit)
    {
        if (maxSplit < 0 || sep is null) return Split(s, sep, maxSplit);
        var parts = new List<object?>();
        var end = s.Length;
        while (parts.Count < maxSplit)
        {
            var i = s.LastIndexOf(sep, end - 1 < 0 ? 0 : end - 1, StringComparison.Ordinal);
            if (i < 0 || end == 0) break;
            if (i + sep.Length > end) break;
            parts.Insert(0, s[(i + sep.Length)..end]);
            end = i;
        }
        parts.Insert(0, s[..end]);
        return parts;
    }

    /// <summary>str.format with {} / {0} / {name} fields (no format specs beyond plain conversion).</summary>
    private static string Format(string fmt, List<object?> args, Dictionary<string, object?> kwargs)
    {
        var sb = new StringBuilder();
        var auto = 0;
        for (var i = 0; i < fmt.Length; i++)
        {
            var c = fmt[i];
            if (c == '{' && i + 1 < fmt.Length && fmt[i + 1] == '{') { sb.Append('{'); i++; continue; }
            if (c == '}' && i + 1 < fmt.Length && fmt[i + 1] == '}') { sb.Append('}'); i++; continue; }
            if (c != '{') { sb.Append(c); continue; }
            var close = fmt.IndexOf('}', i);
            if (close < 0) throw new JinjaRuntimeError("format: single '{' encountered in format string");
            var field = fmt[(i + 1)..close];
            var colon = field.IndexOf(':');
            if (colon >= 0) field = field[..colon];
            object? v = field.Length == 0 ? (auto < args.Count ? args[auto++] : throw new JinjaRuntimeError("format: not enough arguments"))
                : int.TryParse(field, out var idx) ? (idx < args.Count ? args[idx] : throw new JinjaRuntimeError($"format: no argument {idx}"))
                : kwargs.TryGetValue(field, out var kv) ? kv : throw new JinjaRuntimeError($"format: no argument '{field}'");
            sb.Append(Str(v));
            i = close;
        }
        return sb.ToString();
    }
}
