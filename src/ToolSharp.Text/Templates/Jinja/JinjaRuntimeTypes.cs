namespace ToolSharp.Text.Templates.Jinja;

/// <summary>The object <c>namespace(...)</c> creates: attributes that <c>{% set ns.x = … %}</c> may change from inside loops.</summary>
internal sealed class JinjaNamespace
{
    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);
}

/// <summary>A callable value: a built-in global (<c>range</c>, <c>raise_exception</c>, …), a bound method or a macro.</summary>
internal sealed class JinjaCallable(string name, Func<List<object?>, Dictionary<string, object?>, object?> invoke)
{
    public string Name { get; } = name;

    public object? Invoke(List<object?> args, Dictionary<string, object?> kwargs) => invoke(args, kwargs);
}

/// <summary>Thrown by <c>{% break %}</c> / <c>{% continue %}</c> to the enclosing loop.</summary>
internal sealed class LoopControlSignal(bool isBreak) : Exception
{
    public bool IsBreak { get; } = isBreak;
}

/// <summary>The <c>loop</c> variable of a for loop.</summary>
internal sealed class JinjaLoop(List<object?> items, int index, JinjaLoop? parent)
{
    public object? Get(string name) => name switch
    {
        "index0" => (long)index,
        "index" => (long)index + 1,
        "revindex" => (long)(items.Count - index),
        "revindex0" => (long)(items.Count - index - 1),
        "first" => index == 0,
        "last" => index == items.Count - 1,
        "length" => (long)items.Count,
        "previtem" => index > 0 ? items[index - 1] : new JinjaUndefined("loop.previtem (first iteration)"),
        "nextitem" => index + 1 < items.Count ? items[index + 1] : new JinjaUndefined("loop.nextitem (last iteration)"),
        "depth" => (long)Depth,
        "depth0" => (long)Depth - 1,
        "cycle" => new JinjaCallable("loop.cycle", (args, _) => args.Count == 0 ? null : args[index % args.Count]),
        _ => new JinjaUndefined($"loop.{name}"),
    };

    private int Depth => parent is null ? 1 : parent.Depth + 1;
}
