using ToolSharp.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ToolSharp.Evaluation.Yaml;

/// <summary>Where every key and value of a one-document YAML (or JSON) file stands, by field path such as
/// <c>environments[1].tasks</c>, found in one pass over the parser's events — which also rejects what typed
/// deserialisation would let through or report badly: syntax errors, duplicate keys, unknown aliases, extra documents.</summary>
public sealed class YamlDocumentMap
{
    private readonly Dictionary<string, Mark> _byPath = new(StringComparer.Ordinal);
    private readonly Dictionary<(long, long), string> _valueAt = [];
    private readonly Dictionary<(long, long), string> _keyAt = [];

    private YamlDocumentMap(string source) => Source = source;

    public string Source { get; }

    /// <summary>True when the document has no content (empty, or comments only).</summary>
    public bool IsEmpty { get; private set; } = true;

    /// <summary>Reads the structure of <paramref name="text"/>; every problem is an <see cref="InputFormatException"/> naming line and column.</summary>
    public static YamlDocumentMap Scan(string text, string source)
    {
        var map = new YamlDocumentMap(source);
        var parser = new Parser(new StringReader(text));
        var open = new Stack<Frame>();
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var documents = 0;
        ParsingEvent? last = null;
        try
        {
            while (parser.MoveNext())
            {
                var e = last = parser.Current!;
                switch (e)
                {
                    case DocumentStart when ++documents > 1:
                        throw map.At(e.Start, "", "one document", "a second document");
                    case AnchorAlias alias when !anchors.Contains(alias.Value.Value):
                        throw map.At(e.Start, map.Place(open, e, record: false), "an alias to an anchor defined before it", $"'*{alias.Value.Value}'");
                    case NodeEvent node:
                        if (!node.Anchor.IsEmpty) anchors.Add(node.Anchor.Value);
                        var path = map.Place(open, e, record: true);
                        if (e is SequenceStart or MappingStart) open.Push(new Frame(path, e is MappingStart));
                        break;
                    case SequenceEnd or MappingEnd:
                        open.Pop();
                        break;
                }
            }
        }
        catch (YamlException ex)
        {
            throw map.SyntaxError(ex, last, text);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's parser gives up without a position on some unterminated flow collections ("[1, 2" then EOF).
            var unclosed = open.FirstOrDefault();
            throw unclosed is null || last is null
                ? new InputFormatException(source, "", "valid YAML or JSON", "text that cannot be parsed", (int)(last?.End.Line ?? 1), column: (int)(last?.End.Column ?? 1))
                : map.At(map._byPath[unclosed.Path], unclosed.Path, unclosed.IsMapping ? "'}' closing this mapping" : "']' closing this list", "the end of the file");
        }
        return map;
    }

    /// <summary>The position of a field, or of its nearest enclosing field that the file has (for a missing key: its mapping).</summary>
    public (int Line, int Column) PositionOf(string field)
    {
        for (var path = field; ; path = Parent(path))
        {
            if (_byPath.TryGetValue(path, out var mark)) return ((int)mark.Line, (int)mark.Column);
            if (path.Length == 0) return (1, 1);
        }
    }

    /// <summary>An error about a field: at its position (or at <paramref name="at"/>'s), naming it, expected vs. found.</summary>
    public InputFormatException Error(string field, string expected, string found, string? at = null)
    {
        var (line, column) = PositionOf(at ?? field);
        return new InputFormatException(Source, field.Length == 0 ? "(top level)" : field, expected, found, line, column: column);
    }

    /// <summary>The field whose value (<paramref name="key"/> false) or key (true) starts at a mark, if any.</summary>
    public string? FieldAt(Mark mark, bool key) =>
        (key ? _keyAt : _valueAt).TryGetValue((mark.Line, mark.Column), out var path) ? path
        : (key ? _valueAt : _keyAt).GetValueOrDefault((mark.Line, mark.Column));

    public static string Join(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut < 0 ? "" : path[..cut];
    }

    /// <summary>Gives a node event its field path: a key of the open mapping, a value after its key, an item of the open list, or the root.</summary>
    private string Place(Stack<Frame> open, ParsingEvent e, bool record)
    {
        IsEmpty = false;
        if (open.Count == 0) return Record("", e, record);
        var frame = open.Peek();
        if (!frame.IsMapping) return Record($"{frame.Path}[{frame.Items++}]", e, record);
        if (frame.PendingKey is null)
        {
            var key = e is Scalar s ? s.Value : "?";
            var keyPath = Join(frame.Path, key);
            if (key != "?" && !frame.Keys.Add(key)) throw At(e.Start, keyPath, "each key once", $"'{key}' again");
            if (record) _keyAt.TryAdd((e.Start.Line, e.Start.Column), keyPath);
            // A complex key (a list or mapping as key) is walked as a value under "?".
            frame.PendingKey = key;
            return e is Scalar ? keyPath : Record(keyPath, e, record);
        }
        var valuePath = Join(frame.Path, frame.PendingKey);
        frame.PendingKey = null;
        return Record(valuePath, e, record);
    }

    private string Record(string path, ParsingEvent e, bool record)
    {
        if (record)
        {
            _byPath.TryAdd(path, e.Start);
            _valueAt.TryAdd((e.Start.Line, e.Start.Column), path);
        }
        return path;
    }

    private InputFormatException At(Mark mark, string field, string expected, string found) =>
        new(Source, field.Length == 0 ? "(top level)" : field, expected, found, (int)mark.Line, column: (int)mark.Column);

    private InputFormatException SyntaxError(YamlException ex, ParsingEvent? last, string text)
    {
        var message = ex.Message.TrimEnd('.');
        var mark = ex.Start;
        // YamlDotNet places a tab in indentation at the start of the enclosing mapping; point at the tab instead.
        if (message.Contains("invalid tab", StringComparison.Ordinal))
        {
            var lines = text.Split('\n');
            var from = (int)(last?.End.Line ?? 1) - 1;
            var tab = Enumerable.Range(from, Math.Max(0, lines.Length - from)).FirstOrDefault(i => lines[i].TakeWhile(char.IsWhiteSpace).Contains('\t'), -1);
            if (tab >= 0) return new InputFormatException(Source, "", "spaces for indentation", "a tab", tab + 1, column: lines[tab].IndexOf('\t') + 1);
        }
        return new InputFormatException(Source, "", "valid YAML or JSON", $"a syntax error ({char.ToLowerInvariant(message[0]) + message[1..]})", (int)mark.Line, column: (int)mark.Column);
    }

    private sealed class Frame(string path, bool isMapping)
    {
        public string Path { get; } = path;
        public bool IsMapping { get; } = isMapping;
        public int Items { get; set; }
        public string? PendingKey { get; set; }
        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);
    }
}
