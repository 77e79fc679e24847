namespace ToolSharp.Text.Templates.Jinja;

// The template's syntax tree. Every node carries its 1-based source line for error messages.

/// <summary>A statement of the template body.</summary>
internal abstract record Stmt(int Line);

internal sealed record TextStmt(int Line, string Text) : Stmt(Line);

internal sealed record OutputStmt(int Line, Expr Value) : Stmt(Line);

internal sealed record IfStmt(int Line, IReadOnlyList<(Expr Condition, IReadOnlyList<Stmt> Body)> Branches, IReadOnlyList<Stmt>? Else) : Stmt(Line);

internal sealed record ForStmt(int Line, IReadOnlyList<string> Targets, Expr Iterable, Expr? Filter, IReadOnlyList<Stmt> Body, IReadOnlyList<Stmt>? Else) : Stmt(Line);

/// <summary><c>{% set x = … %}</c>, <c>{% set a, b = … %}</c> or <c>{% set ns.attr = … %}</c>.</summary>
internal sealed record SetStmt(int Line, IReadOnlyList<string> Targets, string? Attribute, Expr Value) : Stmt(Line);

/// <summary><c>{% set x %}…{% endset %}</c>: the rendered body, optionally through filters.</summary>
internal sealed record SetBlockStmt(int Line, string Target, string? Attribute, IReadOnlyList<Stmt> Body, IReadOnlyList<FilterExpr> Filters) : Stmt(Line);

internal sealed record MacroStmt(int Line, string Name, IReadOnlyList<(string Name, Expr? Default)> Parameters, IReadOnlyList<Stmt> Body) : Stmt(Line);

internal sealed record CallBlockStmt(int Line, Expr Call, IReadOnlyList<string> CallerParameters, IReadOnlyList<Stmt> Body) : Stmt(Line);

internal sealed record FilterBlockStmt(int Line, IReadOnlyList<FilterExpr> Filters, IReadOnlyList<Stmt> Body) : Stmt(Line);

/// <summary>A body rendered as is: <c>{% generation %}</c> (transformers' assistant-mask marker).</summary>
internal sealed record BlockStmt(int Line, IReadOnlyList<Stmt> Body) : Stmt(Line);

internal sealed record BreakStmt(int Line) : Stmt(Line);

internal sealed record ContinueStmt(int Line) : Stmt(Line);

/// <summary>An expression.</summary>
internal abstract record Expr(int Line);

internal sealed record LiteralExpr(int Line, object? Value) : Expr(Line);

internal sealed record NameExpr(int Line, string Name) : Expr(Line);

internal sealed record ListExpr(int Line, IReadOnlyList<Expr> Items, bool IsTuple) : Expr(Line);

internal sealed record DictExpr(int Line, IReadOnlyList<(Expr Key, Expr Value)> Items) : Expr(Line);

internal sealed record AttrExpr(int Line, Expr Target, string Name) : Expr(Line);

internal sealed record ItemExpr(int Line, Expr Target, Expr Index) : Expr(Line);

internal sealed record SliceExpr(int Line, Expr Target, Expr? Start, Expr? Stop, Expr? Step) : Expr(Line);

internal sealed record CallExpr(int Line, Expr Callee, IReadOnlyList<Expr> Args, IReadOnlyList<(string Name, Expr Value)> Kwargs) : Expr(Line);

internal sealed record FilterExpr(int Line, Expr? Target, string Name, IReadOnlyList<Expr> Args, IReadOnlyList<(string Name, Expr Value)> Kwargs) : Expr(Line);

internal sealed record TestExpr(int Line, Expr Target, string Name, IReadOnlyList<Expr> Args, bool Negated) : Expr(Line);

internal sealed record BinaryExpr(int Line, string Op, Expr Left, Expr Right) : Expr(Line);

internal sealed record UnaryExpr(int Line, string Op, Expr Operand) : Expr(Line);

internal sealed record CompareExpr(int Line, Expr First, IReadOnlyList<(string Op, Expr Right)> Rest) : Expr(Line);

internal sealed record CondExpr(int Line, Expr Condition, Expr Then, Expr? Else) : Expr(Line);
