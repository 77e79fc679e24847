using ToolSharp.Core.Errors;
using ToolSharp.Core.Formats;
using ToolSharp.Environments.Bfcl.Python;

namespace ToolSharp.Environments.Bfcl.Backends;

/// <summary>The filler data BFCL's backends add in the long-context category, read from BFCL's own
/// <c>long_context.py</c> (a module of constants) rather than copied into ToolSharp.</summary>
/// <remarks>
/// The file ships with BFCL (<c>bfcl_eval/eval_checker/multi_turn_eval/func_source_code/long_context.py</c>); the
/// shared folder has it under <c>reference/bfcl/</c>. Values are parsed once per file and shared read-only; the three
/// dicts backends mutate or link into their state (credit cards, bookings, weather) are copied per run by
/// <see cref="BfclRuntime"/>.
/// </remarks>
internal sealed class BfclLongContextData
{
    /// <summary>Where the file sits relative to BFCL's package folder.</summary>
    public const string RelativePath = "bfcl_eval/eval_checker/multi_turn_eval/func_source_code/long_context.py";

    private static readonly Dictionary<string, BfclLongContextData> Cache = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object?> _values;

    private BfclLongContextData(Dictionary<string, object?> values, string path)
    {
        _values = values;
        Path = path;
    }

    public string Path { get; }

    /// <summary>The data in <paramref name="path"/>, parsed once per process.</summary>
    public static BfclLongContextData Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        lock (Cache)
        {
            if (Cache.TryGetValue(full, out var cached)) return cached;
            if (!File.Exists(full))
                throw new ToolSharpException($"{full}: file not found (BFCL's long_context.py, needed for the multi_turn_long_context filler data)");
            var text = File.ReadAllText(full);
            var parsed = PythonSyntax.ParseAssignments(text);
            if (parsed.Error is not null)
            {
                var line = text[..Math.Min(parsed.ErrorPosition, text.Length)].Count(c => c == '\n') + 1;
                throw new InputFormatException(full, "", "NAME = literal statements", parsed.Error, line);
            }
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (name, expression) in parsed.Assignments) values[name] = PyLiteral.Evaluate(expression);
            var data = new BfclLongContextData(values, full);
            Cache[full] = data;
            return data;
        }
    }

    /// <summary>A constant by its Python name (e.g. <c>WATCH_LIST_EXTENSION</c>).</summary>
    public object? this[string name] =>
        _values.TryGetValue(name, out var value) ? value : throw new ToolSharpException($"{Path}: no constant {name} (expected BFCL's long_context.py)");
}
