using System.Globalization;

namespace ToolSharp.Text.Templates.Jinja;

/// <summary>Recursive-descent parser for the Jinja2 subset chat templates use, with Jinja2's operator precedence.</summary>
internal sealed class JinjaParser
{
    private readonly List<JinjaToken> _tokens;
    private readonly string _source;
    private int _i;

    private JinjaParser(List<JinjaToken> tokens, string source)
    {
        _tokens = tokens;
        _source = source;
    }

    public static IReadOnlyList<Stmt> Parse(string template, string source)
    {
        var parser = new JinjaParser(JinjaLexer.Tokenize(template, source), source);
        var body = parser.ParseBody([]);
        if (parser.Peek.Kind != JinjaTokenKind.End) throw parser.Error($"unexpected '{parser.PeekBlockName()}' tag");
        return body;
    }

    private JinjaToken Peek => _tokens[_i];

    private JinjaToken PeekAt(int k) => _tokens[Math.Min(_i + k, _tokens.Count - 1)];

    private JinjaToken Next() => _tokens[_i++];

    private TemplateError Error(string problem, JinjaToken? at = null) => new(_source, (at ?? Peek).Line, problem);

    private JinjaToken Expect(JinjaTokenKind kind, string? text = null)
    {
        var t = Peek;
        if (t.Kind != kind || (text is not null && t.Text != text))
            throw Error($"expected {(text is null ? kind.ToString() : $"'{text}'")}, found {t}");
        return Next();
    }

    private bool Accept(JinjaTokenKind kind, string text)
    {
        if (!Peek.Is(kind, text)) return false;
        _i++;
        return true;
    }

    private bool AcceptOp(string op) => Accept(JinjaTokenKind.Operator, op);

    private bool AcceptName(string name) => Accept(JinjaTokenKind.Name, name);

    private string ExpectName() => Expect(JinjaTokenKind.Name).Text;

    private string PeekBlockName() => Peek.Kind == JinjaTokenKind.BlockBegin && PeekAt(1).Kind == JinjaTokenKind.Name ? PeekAt(1).Text : Peek.Text;

    // ---------- statements ----------

    /// <summary>Parses statements until a block tag whose name is in <paramref name="stops"/> (left unconsumed) or the end.</summary>
    private List<Stmt> ParseBody(HashSet<string> stops)
    {
        var body = new List<Stmt>();
        while (true)
        {
            var t = Peek;
            switch (t.Kind)
            {
                case JinjaTokenKind.End:
                    if (stops.Count > 0) throw Error($"unexpected end of template: expected {string.Join(" or ", stops.Select(s => $"'{{% {s} %}}'"))}");
                    return body;
                case JinjaTokenKind.Data:
                    Next();
                    body.Add(new TextStmt(t.Line, t.Text));
                    break;
                case JinjaTokenKind.VariableBegin:
                    Next();
                    var e = ParseExpression();
                    Expect(JinjaTokenKind.VariableEnd);
                    body.Add(new OutputStmt(t.Line, e));
                    break;
                case JinjaTokenKind.BlockBegin:
                    var name = PeekAt(1);
                    if (name.Kind != JinjaTokenKind.Name) throw Error($"expected a statement name after '{{%', found {name}", name);
                    if (stops.Contains(name.Text)) return body;
                    Next();
                    Next();
                    body.Add(ParseStatement(name));
                    break;
                default:
                    throw Error($"unexpected {t}");
            }
        }
    }

    private void EndBlock(string name)
    {
        Expect(JinjaTokenKind.BlockBegin);
        var t = Expect(JinjaTokenKind.Name);
        if (t.Text != name) throw Error($"expected '{name}', found '{t.Text}'", t);
        Expect(JinjaTokenKind.BlockEnd);
    }

    private Stmt ParseStatement(JinjaToken name)
    {
        var line = name.Line;
        switch (name.Text)
        {
            case "if": return ParseIf(line);
            case "for": return ParseFor(line);
            case "set": return ParseSet(line);
            case "macro": return ParseMacro(line);
            case "call": return ParseCallBlock(line);
            case "filter":
            {
                var filters = ParseFilterChain(null);
                Expect(JinjaTokenKind.BlockEnd);
                var body = ParseBody(["endfilter"]);
                EndBlock("endfilter");
                return new FilterBlockStmt(line, filters, body);
            }
            case "generation":
            {
                Expect(JinjaTokenKind.BlockEnd);
                var body = ParseBody(["endgeneration"]);
                EndBlock("endgeneration");
                return new BlockStmt(line, body);
            }
            case "break": Expect(JinjaTokenKind.BlockEnd); return new BreakStmt(line);
            case "continue": Expect(JinjaTokenKind.BlockEnd); return new ContinueStmt(line);
            default: throw Error($"unknown statement '{name.Text}'", name);
        }
    }

    private Stmt ParseIf(int line)
    {
        var branches = new List<(Expr, IReadOnlyList<Stmt>)>();
        var cond = ParseExpression();
        Expect(JinjaTokenKind.BlockEnd);
        List<Stmt>? elseBody = null;
        while (true)
        {
            var body = ParseBody(["elif", "else", "endif"]);
            branches.Add((cond, body));
            Expect(JinjaTokenKind.BlockBegin);
            var tag = Next().Text;
            if (tag == "elif")
            {
                cond = ParseExpression();
                Expect(JinjaTokenKind.BlockEnd);
                continue;
            }
            Expect(JinjaTokenKind.BlockEnd);
            if (tag == "else")
            {
                elseBody = ParseBody(["endif"]);
                EndBlock("endif");
            }
            break;
        }
        return new IfStmt(line, branches, elseBody);
    }

    private Stmt ParseFor(int line)
    {
        var targets = new List<string> { ExpectName() };
        while (AcceptOp(",")) targets.Add(ExpectName());
        if (!AcceptName("in")) throw Error($"expected 'in' in for loop, found {Peek}");
        var iterable = ParseCondExpr(allowIfWithoutElse: false);
        Expr? filter = null;
        if (AcceptName("if")) filter = ParseCondExpr(allowIfWithoutElse: false);
        if (AcceptName("recursive")) throw Error("recursive for loops are not supported");
        Expect(JinjaTokenKind.BlockEnd);
        var body = ParseBody(["else", "endfor"]);
        List<Stmt>? elseBody = null;
        if (PeekAt(1).Text == "else")
        {
            Next(); Next(); Expect(JinjaTokenKind.BlockEnd);
            elseBody = ParseBody(["endfor"]);
        }
        EndBlock("endfor");
        return new ForStmt(line, targets, iterable, filter, body, elseBody);
    }

    private Stmt ParseSet(int line)
    {
        var targets = new List<string> { ExpectName() };
        string? attribute = null;
        if (AcceptOp(".")) attribute = ExpectName();
        else while (AcceptOp(",")) targets.Add(ExpectName());
        if (AcceptOp("="))
        {
            var value = ParseTupleOrExpression();
            Expect(JinjaTokenKind.BlockEnd);
            return new SetStmt(line, targets, attribute, value);
        }
        if (targets.Count != 1) throw Error("a block set assigns one name");
        var filters = Peek.Is(JinjaTokenKind.Operator, "|") ? ParseFilterChain(null, leadingPipe: true) : [];
        Expect(JinjaTokenKind.BlockEnd);
        var body = ParseBody(["endset"]);
        EndBlock("endset");
        return new SetBlockStmt(line, targets[0], attribute, body, filters);
    }

    private Stmt ParseMacro(int line)
    {
        var name = ExpectName();
        var parameters = ParseParameterList();
        Expect(JinjaTokenKind.BlockEnd);
        var body = ParseBody(["endmacro"]);
        EndBlock("endmacro");
        return new MacroStmt(line, name, parameters, body);
    }

    private List<(string, Expr?)> ParseParameterList()
    {
        var parameters = new List<(string, Expr?)>();
        Expect(JinjaTokenKind.Operator, "(");
        while (!AcceptOp(")"))
        {
            if (parameters.Count > 0) Expect(JinjaTokenKind.Operator, ",");
            if (AcceptOp(")")) break;
            var p = ExpectName();
            parameters.Add((p, AcceptOp("=") ? ParseExpression() : null));
        }
        return parameters;
    }

    private Stmt ParseCallBlock(int line)
    {
        var callerParameters = Peek.Is(JinjaTokenKind.Operator, "(") ? ParseParameterList().Select(p => p.Item1).ToList() : [];
        var call = ParseExpression();
        if (call is not CallExpr) throw Error("expected a macro call after 'call'");
        Expect(JinjaTokenKind.BlockEnd);
        var body = ParseBody(["endcall"]);
        EndBlock("endcall");
        return new CallBlockStmt(line, call, callerParameters, body);
    }

    // ---------- expressions (Jinja2 precedence, loosest first) ----------

    /// <summary>An expression, or an unparenthesized tuple (<c>{% set a, b = 1, 2 %}</c>).</summary>
    private Expr ParseTupleOrExpression()
    {
        var line = Peek.Line;
        var first = ParseExpression();
        if (!Peek.Is(JinjaTokenKind.Operator, ",")) return first;
        var items = new List<Expr> { first };
        while (AcceptOp(",")) items.Add(ParseExpression());
        return new ListExpr(line, items, IsTuple: true);
    }

    public Expr ParseExpression() => ParseCondExpr(allowIfWithoutElse: true);

    private Expr ParseCondExpr(bool allowIfWithoutElse)
    {
        var expr = ParseOr();
        while (allowIfWithoutElse && Peek.Is(JinjaTokenKind.Name, "if"))
        {
            var line = Next().Line;
            var cond = ParseOr();
            Expr? otherwise = AcceptName("else") ? ParseCondExpr(allowIfWithoutElse) : null;
            expr = new CondExpr(line, cond, expr, otherwise);
        }
        return expr;
    }

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (Peek.Is(JinjaTokenKind.Name, "or")) left = new BinaryExpr(Next().Line, "or", left, ParseAnd());
        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        while (Peek.Is(JinjaTokenKind.Name, "and")) left = new BinaryExpr(Next().Line, "and", left, ParseNot());
        return left;
    }

    private Expr ParseNot()
    {
        if (Peek.Is(JinjaTokenKind.Name, "not")) return new UnaryExpr(Next().Line, "not", ParseNot());
        return ParseCompare();
    }

    private static readonly HashSet<string> CompareOps = ["==", "!=", "<", ">", "<=", ">="];

    private Expr ParseCompare()
    {
        var line = Peek.Line;
        var first = ParseMath1();
        var rest = new List<(string, Expr)>();
        while (true)
        {
            if (Peek.Kind == JinjaTokenKind.Operator && CompareOps.Contains(Peek.Text)) rest.Add((Next().Text, ParseMath1()));
            else if (AcceptName("in")) rest.Add(("in", ParseMath1()));
            else if (Peek.Is(JinjaTokenKind.Name, "not") && PeekAt(1).Is(JinjaTokenKind.Name, "in")) { Next(); Next(); rest.Add(("not in", ParseMath1())); }
            else break;
        }
        return rest.Count == 0 ? first : new CompareExpr(line, first, rest);
    }

    private Expr ParseMath1()
    {
        var left = ParseConcat();
        while (Peek.Kind == JinjaTokenKind.Operator && Peek.Text is "+" or "-") left = new BinaryExpr(Peek.Line, Next().Text, left, ParseConcat());
        return left;
    }

    private Expr ParseConcat()
    {
        var left = ParseMath2();
        while (Peek.Is(JinjaTokenKind.Operator, "~")) left = new BinaryExpr(Next().Line, "~", left, ParseMath2());
        return left;
    }

    private Expr ParseMath2()
    {
        var left = ParsePow();
        while (Peek.Kind == JinjaTokenKind.Operator && Peek.Text is "*" or "/" or "//" or "%") left = new BinaryExpr(Peek.Line, Next().Text, left, ParsePow());
        return left;
    }

    private Expr ParsePow()
    {
        var left = ParseUnary();
        while (Peek.Is(JinjaTokenKind.Operator, "**")) left = new BinaryExpr(Next().Line, "**", left, ParseUnary());
        return left;
    }

    private Expr ParseUnary()
    {
        if (Peek.Kind == JinjaTokenKind.Operator && Peek.Text is "-" or "+")
        {
            var t = Next();
            return ParseFilterAndTests(new UnaryExpr(t.Line, t.Text, ParseUnary()));
        }
        return ParseFilterAndTests(ParsePostfix(ParsePrimary()));
    }

    private Expr ParseFilterAndTests(Expr expr)
    {
        while (true)
        {
            if (Peek.Is(JinjaTokenKind.Operator, "|"))
            {
                var chain = ParseFilterChain(expr, leadingPipe: true);
                expr = chain[^1];
            }
            else if (Peek.Is(JinjaTokenKind.Name, "is"))
            {
                var line = Next().Line;
                var negated = AcceptName("not");
                var name = ExpectName();
                var args = new List<Expr>();
                if (Peek.Is(JinjaTokenKind.Operator, "("))
                {
                    var (a, _) = ParseCallArguments();
                    args.AddRange(a);
                }
                else if (StartsTestArgument(Peek))
                {
                    args.Add(ParsePostfix(ParsePrimary()));
                }
                expr = new TestExpr(line, expr, name, args, negated);
            }
            else return expr;
        }
    }

    private static bool StartsTestArgument(JinjaToken t) => t.Kind switch
    {
        JinjaTokenKind.String or JinjaTokenKind.Integer or JinjaTokenKind.Float => true,
        JinjaTokenKind.Name => t.Text is not ("and" or "or" or "else" or "if" or "is" or "in" or "not"),
        JinjaTokenKind.Operator => t.Text is "[" or "{",
        _ => false,
    };

    /// <summary>Parses <c>name(args) | name2 …</c>; each filter's target is the previous one (the first's is <paramref name="target"/>).</summary>
    private List<FilterExpr> ParseFilterChain(Expr? target, bool leadingPipe = false)
    {
        var list = new List<FilterExpr>();
        var first = true;
        while (first ? (!leadingPipe || AcceptOp("|")) : AcceptOp("|"))
        {
            first = false;
            var nameTok = Expect(JinjaTokenKind.Name);
            var name = nameTok.Text;
            while (AcceptOp(".")) name += "." + ExpectName();
            IReadOnlyList<Expr> args = [];
            IReadOnlyList<(string, Expr)> kwargs = [];
            if (Peek.Is(JinjaTokenKind.Operator, "(")) (args, kwargs) = ParseCallArguments();
            var f = new FilterExpr(nameTok.Line, target, name, args, kwargs);
            list.Add(f);
            target = f;
        }
        return list;
    }

    private (List<Expr> Args, List<(string, Expr)> Kwargs) ParseCallArguments()
    {
        Expect(JinjaTokenKind.Operator, "(");
        var args = new List<Expr>();
        var kwargs = new List<(string, Expr)>();
        while (!AcceptOp(")"))
        {
            if (args.Count + kwargs.Count > 0)
            {
                Expect(JinjaTokenKind.Operator, ",");
                if (AcceptOp(")")) break;
            }
            if (Peek.Kind == JinjaTokenKind.Name && PeekAt(1).Is(JinjaTokenKind.Operator, "="))
            {
                var key = Next().Text;
                Next();
                kwargs.Add((key, ParseExpression()));
            }
            else
            {
                if (kwargs.Count > 0) throw Error("positional argument after keyword argument");
                args.Add(ParseExpression());
            }
        }
        return (args, kwargs);
    }

    private Expr ParsePostfix(Expr expr)
    {
        while (true)
        {
            var t = Peek;
            if (t.Is(JinjaTokenKind.Operator, "."))
            {
                Next();
                var name = Next();
                if (name.Kind is not (JinjaTokenKind.Name or JinjaTokenKind.Integer)) throw Error($"expected an attribute name after '.', found {name}", name);
                expr = name.Kind == JinjaTokenKind.Integer
                    ? new ItemExpr(t.Line, expr, new LiteralExpr(t.Line, long.Parse(name.Text, CultureInfo.InvariantCulture)))
                    : new AttrExpr(t.Line, expr, name.Text);
            }
            else if (t.Is(JinjaTokenKind.Operator, "["))
            {
                Next();
                expr = ParseSubscript(expr, t.Line);
            }
            else if (t.Is(JinjaTokenKind.Operator, "("))
            {
                var (args, kwargs) = ParseCallArguments();
                expr = new CallExpr(t.Line, expr, args, kwargs);
            }
            else return expr;
        }
    }

    private Expr ParseSubscript(Expr target, int line)
    {
        Expr? start = null, stop = null, step = null;
        if (!Peek.Is(JinjaTokenKind.Operator, ":")) start = ParseExpression();
        if (AcceptOp(":"))
        {
            if (!Peek.Is(JinjaTokenKind.Operator, ":") && !Peek.Is(JinjaTokenKind.Operator, "]")) stop = ParseExpression();
            if (AcceptOp(":") && !Peek.Is(JinjaTokenKind.Operator, "]")) step = ParseExpression();
            Expect(JinjaTokenKind.Operator, "]");
            return new SliceExpr(line, target, start, stop, step);
        }
        Expect(JinjaTokenKind.Operator, "]");
        return new ItemExpr(line, target, start!);
    }

    private Expr ParsePrimary()
    {
        var t = Next();
        switch (t.Kind)
        {
            case JinjaTokenKind.String:
                var s = t.Text;
                while (Peek.Kind == JinjaTokenKind.String) s += Next().Text; // adjacent literals concatenate
                return new LiteralExpr(t.Line, s);
            case JinjaTokenKind.Integer:
                return new LiteralExpr(t.Line, long.Parse(t.Text, CultureInfo.InvariantCulture));
            case JinjaTokenKind.Float:
                return new LiteralExpr(t.Line, double.Parse(t.Text, CultureInfo.InvariantCulture));
            case JinjaTokenKind.Name:
                return t.Text switch
                {
                    "true" or "True" => new LiteralExpr(t.Line, true),
                    "false" or "False" => new LiteralExpr(t.Line, false),
                    "none" or "None" => new LiteralExpr(t.Line, null),
                    _ => new NameExpr(t.Line, t.Text),
                };
            case JinjaTokenKind.Operator when t.Text == "(":
            {
                if (AcceptOp(")")) return new ListExpr(t.Line, [], IsTuple: true);
                var first = ParseExpression();
                if (AcceptOp(")")) return first;
                var items = new List<Expr> { first };
                while (AcceptOp(","))
                {
                    if (Peek.Is(JinjaTokenKind.Operator, ")")) break;
                    items.Add(ParseExpression());
                }
                Expect(JinjaTokenKind.Operator, ")");
                return new ListExpr(t.Line, items, IsTuple: true);
            }
            case JinjaTokenKind.Operator when t.Text == "[":
            {
                var items = new List<Expr>();
                while (!AcceptOp("]"))
                {
                    if (items.Count > 0)
                    {
                        Expect(JinjaTokenKind.Operator, ",");
                        if (AcceptOp("]")) break;
                    }
                    items.Add(ParseExpression());
                }
                return new ListExpr(t.Line, items, IsTuple: false);
            }
            case JinjaTokenKind.Operator when t.Text == "{":
            {
                var items = new List<(Expr, Expr)>();
                while (!AcceptOp("}"))
                {
                    if (items.Count > 0)
                    {
                        Expect(JinjaTokenKind.Operator, ",");
                        if (AcceptOp("}")) break;
                    }
                    var key = ParseExpression();
                    Expect(JinjaTokenKind.Operator, ":");
                    items.Add((key, ParseExpression()));
                }
                return new DictExpr(t.Line, items);
            }
            default:
                throw Error($"expected an expression, found {t}", t);
        }
    }
}
