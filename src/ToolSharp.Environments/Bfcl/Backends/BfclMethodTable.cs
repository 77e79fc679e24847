namespace ToolSharp.Environments.Bfcl.Backends;

/// <summary>The public methods of one backend class, declared once per class: name, parameters and a body that runs on
/// the instance it is called on.</summary>
internal sealed class BfclMethodTable<T> where T : BfclApi
{
    private readonly string _className;
    private readonly Dictionary<string, BfclMethod> _methods = new(StringComparer.Ordinal);

    public BfclMethodTable(string className, Action<BfclMethodTable<T>> declare)
    {
        _className = className;
        declare(this);
    }

    public IReadOnlyDictionary<string, BfclMethod> Methods => _methods;

    public void Add(string name, BfclParameter[] parameters, Func<T, object?[], object?> body) =>
        _methods.Add(name, new BfclMethod(_className, name, parameters, (api, args) => body((T)api, args)));
}
