using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using ToolSharp.Core.Formats;
using ToolSharp.Environments.Bfcl.Backends;
using ToolSharp.Environments.Bfcl.Python;

namespace ToolSharp.Environments.Bfcl.MultiTurn;

/// <summary>One side's backend instances for one entry (the model's, or the ground truth's) and BFCL's way of
/// executing call strings against them (<c>execute_multi_turn_func_call</c>).</summary>
/// <remarks>
/// <para>Each call string goes through BFCL's steps: every <c>name(</c> whose name is a public method of an involved
/// class is prefixed with that instance's name (<c>{model}_{id}_{class}_instance.</c>, characters <c>-./:</c> as
/// <c>_</c>) — by a regular expression over the whole text, so also inside string arguments; the outer name is refused
/// if it is one of kill, exit, quit, remove, unlink, popen, Popen, run; the text is evaluated; a str result is kept, a
/// dict is <c>json.dumps</c>-ed (or <c>str()</c>-ed when that fails), anything else <c>str()</c>-ed; an exception
/// becomes <c>"Error during execution: {e}"</c>.</para>
/// <para>Evaluation covers what BFCL's decoders produce: calls with positional and keyword arguments whose values are
/// literals or nested calls. Other Python (operators, builtins such as <c>len</c>, attribute access) is not
/// evaluated: such a call fails with an error result, where BFCL's <c>eval</c> might compute something.</para>
/// </remarks>
internal sealed class BfclInstances
{
    // Parsed initial configurations per entry and class; each instance gets a deep copy, as BFCL deep-copies the config.
    private static readonly ConditionalWeakTable<BfclMultiTurnEntry, ConcurrentDictionary<string, object?>> Configs = new();
    private static readonly HashSet<string> Refused = ["kill", "exit", "quit", "remove", "unlink", "popen", "Popen", "run"];

    private readonly Func<PythonExpression, object?> _resolve;
    private readonly Dictionary<string, BfclApi> _byInstanceName = new(4, StringComparer.Ordinal);
    private readonly Dictionary<string, string> _instanceOfMethod = new(64, StringComparer.Ordinal);

    /// <param name="prefix">BFCL's <c>model_name</c> for this side (e.g. <c>toolsharp_eval</c>).</param>
    public BfclInstances(BfclMultiTurnEntry entry, string prefix, BfclRuntime runtime)
    {
        _resolve = Resolve;
        var longContext = entry.IsLongContext;
        foreach (var className in entry.InvolvedClasses)
        {
            var api = BfclApiCatalog.Create(className, runtime);
            if (!api.Stateless)
            {
                var config = PyLiteral.DeepCopy(Configs.GetOrCreateValue(entry).GetOrAdd(className, c =>
                    entry.InitialConfig.ValueKind == JsonValueKind.Object && entry.InitialConfig.TryGetProperty(c, out var json) ? Py.FromJson(json) : new PyDict()));
                api.LoadScenario(config as PyDict ?? throw PyException.AttributeError(config, "get"), longContext);
            }
            var instanceName = $"{prefix}_{entry.Id}_{className}_instance".Replace('-', '_').Replace('.', '_').Replace('/', '_').Replace(':', '_');
            _byInstanceName[instanceName] = api;
            Classes[className] = api;
            foreach (var method in api.Methods.Keys) _instanceOfMethod[method] = instanceName;
        }
    }

    /// <summary>The instances by class name, in the entry's order of involved classes.</summary>
    public Dictionary<string, BfclApi> Classes { get; } = new(4, StringComparer.Ordinal);

    /// <summary>Calls whose evaluation hit a ToolSharp fault rather than a Python exception (tests assert none).</summary>
    public int InternalErrors { get; private set; }

    /// <summary>Executes one step's calls in order and returns BFCL's result strings.</summary>
    public List<string> Execute(IEnumerable<string> calls) => calls.Select(Execute).ToList();

    /// <summary>Executes one call string and returns the result as BFCL's executor renders it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string Execute(string call)
    {
        var prefixed = Prefix(call);
        try
        {
            var outer = prefixed.IndexOf('(') is var paren and >= 0 ? prefixed[..paren] : prefixed;
            if (outer.IndexOf('.') is var dot and >= 0)
            {
                var next = outer.IndexOf('.', dot + 1);
                outer = next < 0 ? outer[(dot + 1)..] : outer[(dot + 1)..next];
            }
            if (Refused.Contains(outer)) throw new PyException("Exception", $"Function call {outer} is not allowed.");
            var parsed = PythonSyntax.ParseExpression(prefixed);
            if (!parsed.Success) throw new PyException("SyntaxError", SyntaxErrorText(parsed.Error!));
            var result = PyLiteral.Evaluate(parsed.Expression!, _resolve);
            return Render(result);
        }
        catch (PyException e)
        {
            return "Error during execution: " + e.Message;
        }
        catch (Exception e) when (e is InvalidCastException or InvalidOperationException or ArgumentException or NullReferenceException
                                      or IndexOutOfRangeException or OverflowException or FormatException or KeyNotFoundException)
        {
            InternalErrors++;
            return "Error during execution: " + e.Message;
        }
    }

    /// <summary>BFCL's <c>re.sub(r"\b([a-zA-Z_]\w*)\s*(?=\()", …)</c>: every identifier that starts at a word boundary
    /// and is followed by optional whitespace and "(" is replaced by itself — prefixed with its instance when it is a
    /// method — and the whitespace is dropped, as the replacement keeps only the name. Python's \w and \s are Unicode.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string Prefix(string call)
    {
        StringBuilder? sb = null;
        var copied = 0;
        var i = 0;
        while (i < call.Length)
        {
            if (!IsWord(call[i]))
            {
                i++;
                continue;
            }
            var start = i;
            while (i < call.Length && IsWord(call[i])) i++;
            if (!(call[start] is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_')) continue;
            var k = i;
            while (k < call.Length && PyStr.IsSpace(call[k])) k++;
            if (k >= call.Length || call[k] != '(') continue;
            var name = call[start..i];
            var mapped = _instanceOfMethod.TryGetValue(name, out var instance);
            if (!mapped && k == i) continue;
            sb ??= new StringBuilder(call.Length + 64);
            sb.Append(call, copied, start - copied);
            if (mapped) sb.Append(instance).Append('.');
            sb.Append(name);
            copied = k;
            i = k;
        }
        return sb is null ? call : sb.Append(call, copied, call.Length - copied).ToString();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IsWord(char c) =>
        char.IsLetterOrDigit(c) || c == '_' || char.GetUnicodeCategory(c) is UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    // Python's compiler names these two mistakes; for other syntax errors its wording varies and is not reproduced.
    private static string SyntaxErrorText(string parserError) =>
        (parserError.StartsWith("keyword argument repeated:", StringComparison.Ordinal) || parserError == "positional argument follows keyword argument"
            ? parserError
            : "invalid syntax") + " (<string>, line 1)";

    /// <summary>BFCL's conversion of a result to the string the model sees.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static string Render(object? result)
    {
        switch (result)
        {
            case string s:
                return s;
            case PyDict dict:
                try
                {
                    return PyJson.Dumps(dict);
                }
                catch (PyException)
                {
                    return Py.Str(dict);
                }
            default:
                return Py.Str(result);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private object? Resolve(PythonExpression expression)
    {
        var (path, call) = expression switch
        {
            PythonExpression.Call c => (c.Target, c),
            PythonExpression.Name n => (n.Path, null),
            _ => throw new InvalidOperationException(expression.ToString()),
        };
        var parts = path.Split('.');
        if (!_byInstanceName.TryGetValue(parts[0], out var api)) throw PyException.NameError(parts[0]);
        if (parts.Length != 2 || call is null || !api.Methods.TryGetValue(parts[1], out var method))
        {
            throw parts.Length >= 2 && !api.Methods.ContainsKey(parts[1]) && api.State().All(s => s.Name != parts[1])
                ? PyException.AttributeError(new ApiObject(api.ClassName), parts[1])
                : new PyException("NotImplementedError", $"ToolSharp evaluates only calls of the backend methods, not '{path}'");
        }
        var positional = new object?[call.Positional.Count];
        for (var i = 0; i < positional.Length; i++) positional[i] = PyLiteral.Evaluate(call.Positional[i], _resolve);
        var keywords = new KeyValuePair<string, object?>[call.Keywords.Count];
        for (var i = 0; i < keywords.Length; i++) keywords[i] = new(call.Keywords[i].Key, PyLiteral.Evaluate(call.Keywords[i].Value, _resolve));
        return method.Invoke(api, positional, keywords);
    }

    // Stands for a backend instance in AttributeError messages ("'GorillaFileSystem' object has no attribute 'x'").
    private sealed class ApiObject(string typeName) : IPyObject
    {
        public string TypeName { get; } = typeName;

        public string Repr() => $"<{TypeName} object>";

        public bool PyEquals(object? other) => ReferenceEquals(this, other);
    }
}
