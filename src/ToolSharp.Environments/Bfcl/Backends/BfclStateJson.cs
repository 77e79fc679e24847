using ToolSharp.Environments.Bfcl.Python;

namespace ToolSharp.Environments.Bfcl.Backends;

/// <summary>An instance's public state as JSON that keeps what Python's <c>==</c> depends on: dicts as
/// <c>{"__dict__": [[key, value], …]}</c> (key types and order kept), tuples, sets (sorted by repr), directories and
/// files tagged. ToolSharp's oracle test compares this text with the same dump made by BFCL's Python.</summary>
internal static class BfclStateJson
{
    public static string Dump(BfclApi api)
    {
        var state = new PyDict();
        foreach (var (name, value) in api.State()) state[name] = Canonical(value);
        return PyJson.Dumps(state);
    }

    private static object? Canonical(object? value) => value switch
    {
        BfclDirectory d => Py.Dict(("__dir__", Canonical(d.Name)), ("contents", Canonical(d.Contents))),
        BfclFile f => Py.Dict(("__file__", Canonical(f.Name)), ("content", Canonical(f.Content))),
        PyDict d => Py.Dict(("__dict__", new PyList(d.Items().Select(p => (object?)Py.List(Canonical(p.Key), Canonical(p.Value))).ToList()))),
        PyList l => new PyList(l.Items.Select(Canonical).ToList()),
        PyTuple t => Py.Dict(("__tuple__", new PyList(t.Items.Select(Canonical).ToList()))),
        PySet s => Py.Dict(("__set__", new PyList(s.Items.OrderBy(Py.Repr, Comparer<string>.Create(PyStr.CompareCodePoints)).Select(Canonical).ToList()))),
        null or bool or System.Numerics.BigInteger or double or string => value,
        _ => Py.Dict(("__repr__", Py.Repr(value))),
    };
}
