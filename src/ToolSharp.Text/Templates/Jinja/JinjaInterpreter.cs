using System.Text;

namespace ToolSharp.Text.Templates.Jinja;

/// <summary>Thrown by the template's <c>raise_exception(message)</c>.</summary>
internal sealed class TemplateRaised(string message) : Exception(message);

/// <summary>Executes a parsed template against variables, writing the output; Jinja2 scoping (loops and macros get their own scope).</summary>
internal sealed class JinjaInterpreter
{
    private sealed class Scope(Scope? parent)
    {
        public readonly Dictionary<string, object?> Vars = new(StringComparer.Ordinal);

        public Scope? Parent { get; } = parent;

        public bool TryGet(string name, out object? value)
        {
            for (var s = this; s is not null; s = s.Parent)
                if (s.Vars.TryGetValue(name, out value)) return true;
            value = null;
            return false;
        }
    }

    private readonly Func<DateTime> _now;
    private int _line;
    private JinjaLoop? _currentLoop;

    private JinjaInterpreter(Func<DateTime> now) => _now = now;

    /// <summary>Renders <paramref name="body"/>; errors become <see cref="TemplateError"/>s naming <paramref name="source"/> and the line.</summary>
    public static string Render(IReadOnlyList<Stmt> body, IReadOnlyDictionary<string, object?> variables, string source, Func<DateTime> now)
    {
        var interpreter = new JinjaInterpreter(now);
        var globals = new Scope(null);
        interpreter.AddGlobals(globals);
        foreach (var (k, v) in variables) globals.Vars[k] = v;
        var sb = new StringBuilder();
        try
        {
            interpreter.Exec(body, new Scope(globals), sb);
        }
        catch (TemplateRaised ex)
        {
            throw new TemplateError(source, interpreter._line, ex.Message, raisedByTemplate: true);
        }
        catch (JinjaRuntimeError ex)
        {
            throw new TemplateError(source, interpreter._line, ex.Message);
        }
        catch (LoopControlSignal)
        {
            throw new TemplateError(source, interpreter._line, "break/continue outside a loop");
        }
        return sb.ToString();
    }

    private void AddGlobals(Scope g)
    {
        g.Vars["raise_exception"] = new JinjaCallable("raise_exception", (a, _) => throw new TemplateRaised(a.Count > 0 ? PythonFormat.Str(a[0]) : "raise_exception called"));
        g.Vars["range"] = new JinjaCallable("range", (a, _) =>
        {
            long Int(int i) => a[i] is long l ? l : throw new JinjaRuntimeError($"range expects integers, found {JinjaOps.TypeName(a[i])}");
            var (start, stop, step) = a.Count switch
            {
                1 => (0L, Int(0), 1L),
                2 => (Int(0), Int(1), 1L),
                3 => (Int(0), Int(1), Int(2)),
                _ => throw new JinjaRuntimeError("range expects 1 to 3 arguments"),
            };
            if (step == 0) throw new JinjaRuntimeError("range() arg 3 must not be zero");
            var list = new List<object?>();
            for (var i = start; step > 0 ? i < stop : i > stop; i += step) list.Add(i);
            return list;
        });
        g.Vars["namespace"] = new JinjaCallable("namespace", (a, k) =>
        {
            var ns = new JinjaNamespace();
            foreach (var arg in a)
                if (arg is OrderedDictionary<string, object?> d) foreach (var (key, v) in d) ns.Attributes[key] = v;
            foreach (var (key, v) in k) ns.Attributes[key] = v;
            return ns;
        });
        g.Vars["dict"] = new JinjaCallable("dict", (a, k) =>
        {
            var d = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
            foreach (var arg in a)
                if (arg is OrderedDictionary<string, object?> src) foreach (var (key, v) in src) d[key] = v;
            foreach (var (key, v) in k) d[key] = v;
            return d;
        });
        g.Vars["strftime_now"] = new JinjaCallable("strftime_now", (a, _) => Strftime.Format(_now(), a.Count > 0 ? PythonFormat.Str(a[0]) : ""));
    }

    // ---------- statements ----------

    private void Exec(IReadOnlyList<Stmt> body, Scope scope, StringBuilder output)
    {
        foreach (var stmt in body) Exec(stmt, scope, output);
    }

    private void Exec(Stmt stmt, Scope scope, StringBuilder output)
    {
        _line = stmt.Line;
        switch (stmt)
        {
            case TextStmt t:
                output.Append(t.Text);
                break;
            case OutputStmt o:
                output.Append(PythonFormat.Str(Eval(o.Value, scope)));
                break;
            case IfStmt i:
                foreach (var (cond, branch) in i.Branches)
                {
                    _line = stmt.Line;
                    if (JinjaOps.Truthy(Eval(cond, scope)))
                    {
                        Exec(branch, scope, output);
                        return;
                    }
                }
                if (i.Else is not null) Exec(i.Else, scope, output);
                break;
            case ForStmt f:
                ExecFor(f, scope, output);
                break;
            case SetStmt s:
                Assign(s.Targets, s.Attribute, Eval(s.Value, scope), scope, s.Line);
                break;
            case SetBlockStmt sb:
            {
                var captured = new StringBuilder();
                Exec(sb.Body, scope, captured);
                object? value = captured.ToString();
                foreach (var f in sb.Filters) value = ApplyFilter(f, value, scope);
                Assign([sb.Target], sb.Attribute, value, scope, sb.Line);
                break;
            }
            case MacroStmt m:
                scope.Vars[m.Name] = MakeMacro(m.Name, m.Parameters, m.Body, scope);
                break;
            case CallBlockStmt cb:
            {
                var caller = MakeMacro("caller", [.. cb.CallerParameters.Select(p => (p, (Expr?)null))], cb.Body, scope);
                var call = (CallExpr)cb.Call;
                var callee = Eval(call.Callee, scope) as JinjaCallable ?? throw new JinjaRuntimeError("call block target is not a macro");
                var (args, kwargs) = EvalArgs(call.Args, call.Kwargs, scope);
                kwargs["caller"] = caller;
                output.Append(PythonFormat.Str(callee.Invoke(args, kwargs)));
                break;
            }
            case FilterBlockStmt fb:
            {
                var captured = new StringBuilder();
                Exec(fb.Body, scope, captured);
                object? value = captured.ToString();
                foreach (var f in fb.Filters) value = ApplyFilter(f, value, scope);
                output.Append(PythonFormat.Str(value));
                break;
            }
            case BlockStmt b:
                Exec(b.Body, scope, output);
                break;
            case BreakStmt:
                throw new LoopControlSignal(isBreak: true);
            case ContinueStmt:
                throw new LoopControlSignal(isBreak: false);
            default:
                throw new JinjaRuntimeError($"unsupported statement {stmt.GetType().Name}");
        }
    }

    private void ExecFor(ForStmt f, Scope scope, StringBuilder output)
    {
        var source = JinjaOps.Iterate(Eval(f.Iterable, scope));
        var items = source;
        if (f.Filter is not null)
        {
            // The inline filter runs before loop.* is known, each item in its own scope.
            items = [];
            foreach (var item in source)
            {
                var s = new Scope(scope);
                Bind(f.Targets, item, s);
                if (JinjaOps.Truthy(Eval(f.Filter, s))) items.Add(item);
            }
        }
        if (items.Count == 0)
        {
            if (f.Else is not null) Exec(f.Else, scope, output);
            return;
        }
        var outer = _currentLoop;
        try
        {
            for (var i = 0; i < items.Count; i++)
            {
                var s = new Scope(scope);
                Bind(f.Targets, items[i], s);
                var loop = new JinjaLoop(items, i, outer);
                s.Vars["loop"] = loop;
                _currentLoop = loop;
                try
                {
                    Exec(f.Body, s, output);
                }
                catch (LoopControlSignal signal)
                {
                    if (signal.IsBreak) break;
                }
            }
        }
        finally
        {
            _currentLoop = outer;
        }
    }

    private static void Bind(IReadOnlyList<string> targets, object? item, Scope scope)
    {
        if (targets.Count == 1)
        {
            scope.Vars[targets[0]] = item;
            return;
        }
        var values = JinjaOps.Iterate(item);
        if (values.Count != targets.Count)
            throw new JinjaRuntimeError($"cannot unpack {values.Count} values into {targets.Count} names ({string.Join(", ", targets)})");
        for (var i = 0; i < targets.Count; i++) scope.Vars[targets[i]] = values[i];
    }

    private void Assign(IReadOnlyList<string> targets, string? attribute, object? value, Scope scope, int line)
    {
        if (attribute is null)
        {
            Bind(targets, value, scope);
            return;
        }
        if (!scope.TryGet(targets[0], out var target) || target is not JinjaNamespace ns)
            throw new JinjaRuntimeError($"cannot assign attribute '{attribute}' on '{targets[0]}': it is not a namespace");
        ns.Attributes[attribute] = value;
    }

    private JinjaCallable MakeMacro(string name, IReadOnlyList<(string Name, Expr? Default)> parameters, IReadOnlyList<Stmt> body, Scope definingScope) =>
        new(name, (args, kwargs) =>
        {
            var s = new Scope(definingScope);
            for (var i = 0; i < parameters.Count; i++)
            {
                var (p, dflt) = parameters[i];
                if (kwargs.TryGetValue(p, out var kv)) s.Vars[p] = kv;
                else if (i < args.Count) s.Vars[p] = args[i];
                else s.Vars[p] = dflt is null ? new JinjaUndefined($"macro parameter '{p}'") : Eval(dflt, s);
            }
            s.Vars["varargs"] = args.Skip(parameters.Count).ToList();
            if (kwargs.TryGetValue("caller", out var caller)) s.Vars["caller"] = caller;
            var output = new StringBuilder();
            var saveLine = _line;
            var saveLoop = _currentLoop;
            _currentLoop = null;
            Exec(body, s, output);
            _currentLoop = saveLoop;
            _line = saveLine;
            return output.ToString();
        });

    // ---------- expressions ----------

    private object? Eval(Expr e, Scope scope)
    {
        switch (e)
        {
            case LiteralExpr l: return l.Value;
            case NameExpr n: return scope.TryGet(n.Name, out var v) ? v : new JinjaUndefined($"'{n.Name}'");
            case ListExpr l: return l.Items.Select(x => Eval(x, scope)).ToList();
            case DictExpr d:
            {
                var dict = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (k, val) in d.Items)
                {
                    var key = Eval(k, scope);
                    dict[key as string ?? PythonFormat.Str(key)] = Eval(val, scope);
                }
                return dict;
            }
            case AttrExpr a:
            {
                var target = Eval(a.Target, scope);
                if (target is string or List<object?> && JinjaBuiltins.Method(target, a.Name) is { } method) return method;
                if (target is OrderedDictionary<string, object?> d && !d.ContainsKey(a.Name) && JinjaBuiltins.Method(target, a.Name) is { } dm) return dm;
                return JinjaOps.GetAttribute(target, a.Name);
            }
            case ItemExpr i: return JinjaOps.GetItem(Eval(i.Target, scope), Eval(i.Index, scope));
            case SliceExpr s:
                return JinjaOps.Slice(Eval(s.Target, scope), s.Start is null ? null : Eval(s.Start, scope), s.Stop is null ? null : Eval(s.Stop, scope), s.Step is null ? null : Eval(s.Step, scope));
            case CallExpr c: return EvalCall(c, scope);
            case FilterExpr f: return ApplyFilter(f, Eval(f.Target!, scope), scope);
            case TestExpr t:
            {
                var value = Eval(t.Target, scope);
                var args = t.Args.Select(x => Eval(x, scope)).ToList();
                return JinjaBuiltins.Test(t.Name, value, args) != t.Negated;
            }
            case UnaryExpr u:
                var operand = Eval(u.Operand, scope);
                return u.Op switch
                {
                    "not" => !JinjaOps.Truthy(operand),
                    "-" => JinjaOps.Negate(operand),
                    _ => operand,
                };
            case BinaryExpr b:
                switch (b.Op)
                {
                    case "and": { var left = Eval(b.Left, scope); return JinjaOps.Truthy(left) ? Eval(b.Right, scope) : left; }
                    case "or": { var left = Eval(b.Left, scope); return JinjaOps.Truthy(left) ? left : Eval(b.Right, scope); }
                    default:
                        var l = Eval(b.Left, scope);
                        var r = Eval(b.Right, scope);
                        _line = b.Line;
                        return JinjaOps.Binary(b.Op, l, r);
                }
            case CompareExpr c:
            {
                var left = Eval(c.First, scope);
                foreach (var (op, rightExpr) in c.Rest)
                {
                    var right = Eval(rightExpr, scope);
                    _line = c.Line;
                    var ok = op switch
                    {
                        "==" => JinjaOps.Equals(left, right),
                        "!=" => !JinjaOps.Equals(left, right),
                        "<" => JinjaOps.Compare(left, right) < 0,
                        ">" => JinjaOps.Compare(left, right) > 0,
                        "<=" => JinjaOps.Compare(left, right) <= 0,
                        ">=" => JinjaOps.Compare(left, right) >= 0,
                        "in" => JinjaOps.Contains(right, left),
                        "not in" => !JinjaOps.Contains(right, left),
                        _ => throw new JinjaRuntimeError($"unknown comparison {op}"),
                    };
                    if (!ok) return false;
                    left = right;
                }
                return true;
            }
            case CondExpr c:
                return JinjaOps.Truthy(Eval(c.Condition, scope)) ? Eval(c.Then, scope) : c.Else is null ? new JinjaUndefined("conditional expression without else") : Eval(c.Else, scope);
            default:
                throw new JinjaRuntimeError($"unsupported expression {e.GetType().Name}");
        }
    }

    private (List<object?> Args, Dictionary<string, object?> Kwargs) EvalArgs(IReadOnlyList<Expr> args, IReadOnlyList<(string Name, Expr Value)> kwargs, Scope scope)
    {
        var a = args.Select(x => Eval(x, scope)).ToList();
        var k = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in kwargs) k[name] = Eval(value, scope);
        return (a, k);
    }

    private object? EvalCall(CallExpr c, Scope scope)
    {
        var callee = Eval(c.Callee, scope);
        var (args, kwargs) = EvalArgs(c.Args, c.Kwargs, scope);
        _line = c.Line;
        return callee switch
        {
            JinjaCallable f => f.Invoke(args, kwargs),
            JinjaUndefined u => throw new JinjaRuntimeError($"{u.Description} is undefined (called as a function)"),
            _ => throw new JinjaRuntimeError($"'{JinjaOps.TypeName(callee)}' object is not callable"),
        };
    }

    private object? ApplyFilter(FilterExpr f, object? value, Scope scope)
    {
        var (args, kwargs) = EvalArgs(f.Args, f.Kwargs, scope);
        _line = f.Line;
        return CallFilter(f.Name, value, args, kwargs);
    }

    private object? CallFilter(string name, object? value, List<object?> args, Dictionary<string, object?> kwargs) =>
        JinjaBuiltins.Filter(name, value, args, kwargs, JinjaBuiltins.Test, CallFilter);
}
