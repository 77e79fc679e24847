using System.Runtime.CompilerServices;
using ToolSharp.Core.Formats;

namespace ToolSharp.Environments.Bfcl.Python;

/// <summary>Evaluates parsed Python expressions to <see cref="Py"/> values, as <c>eval</c> would: every evaluation
/// builds new containers; names and calls go to the caller's resolver.</summary>
internal static class PyLiteral
{
    /// <summary>The value of a literal expression; names and calls raise <c>NameError</c> unless
    /// <paramref name="resolve"/> handles them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static object? Evaluate(PythonExpression expression, Func<PythonExpression, object?>? resolve = null)
    {
        switch (expression)
        {
            case PythonExpression.Constant c:
                return c.Value;
            case PythonExpression.Sequence { Kind: PythonSequenceKind.List } s:
                return new PyList(s.Items.Select(i => Evaluate(i, resolve)).ToList());
            case PythonExpression.Sequence { Kind: PythonSequenceKind.Tuple } s:
                return new PyTuple(s.Items.Select(i => Evaluate(i, resolve)).ToList());
            case PythonExpression.Sequence s:
                return new PySet(s.Items.Select(i => Evaluate(i, resolve)).ToList());
            case PythonExpression.Dict d:
                var dict = new PyDict();
                foreach (var (key, value) in d.Entries)
                {
                    var k = Evaluate(key, resolve);
                    dict.Set(k, Evaluate(value, resolve));
                }
                return dict;
            case PythonExpression.Name { Path: "Ellipsis" }:
                return PyEllipsis.Instance;
            default:
                if (resolve is not null) return resolve(expression);
                var name = expression is PythonExpression.Name n ? n.Path : ((PythonExpression.Call)expression).Target;
                throw PyException.NameError(name.Split('.')[0]);
        }
    }

    /// <summary><c>copy.deepcopy</c> of a value made of built-in types.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static object? DeepCopy(object? value) => value switch
    {
        PyList l => new PyList(l.Items.Select(DeepCopy).ToList()),
        PyTuple t => new PyTuple(t.Items.Select(DeepCopy).ToList()),
        PySet s => new PySet(s.Items),
        PyDict d => CopyDict(d),
        _ => value,
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static PyDict CopyDict(PyDict d)
    {
        var copy = new PyDict(d.Count);
        foreach (var (k, v) in d.Items()) copy.Set(k, DeepCopy(v));
        return copy;
    }
}
