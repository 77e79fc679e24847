using System.Globalization;
using System.Numerics;

namespace ToolSharp.Environments.Calculator;

/// <summary>Evaluates arithmetic expressions with a recursive-descent parser: no code generation, no eval.</summary>
/// <remarks>
/// Grammar (usual precedence; <c>^</c> binds tighter than unary minus and associates to the right, so <c>-2^2 = -4</c>
/// and <c>2^3^2 = 512</c>):
/// <code>
/// expr   = term { ("+" | "-") term }
/// term   = unary { ("*" | "/" | "//") unary }        ("//" is floor division, as in Python)
/// unary  = ("+" | "-") unary | power
/// power  = atom [ ("^" | "**") unary ]
/// atom   = number | name | "(" expr ")"
/// number = digits [ "." digits ] [ ("e" | "E") [sign] digits ]   (also ".5"; "1,000" with digit-group commas)
/// </code>
/// Accepted symbol variants: <c>×</c>, <c>·</c> and <c>x</c> between numbers for times, <c>÷</c> for divide, <c>−</c>
/// for minus. Names are letters, digits and underscores starting with a letter, looked up in the variables given.
/// Limits keep a hostile expression cheap: 1,000 characters, nesting depth 64, exact results up to
/// <see cref="CalculatorValue.MaxExactBits"/> bits.
/// </remarks>
public sealed class ExpressionEvaluator
{
    public const int MaxLength = 1000;
    public const int MaxDepth = 64;

    private readonly string _text;
    private readonly IReadOnlyDictionary<string, Rational> _variables;
    private int _pos;
    private int _depth;

    private ExpressionEvaluator(string text, IReadOnlyDictionary<string, Rational> variables)
    {
        _text = text;
        _variables = variables;
    }

    /// <summary>Evaluates <paramref name="expression"/>; throws <see cref="CalculatorException"/> for anything it cannot evaluate.</summary>
    public static CalculatorValue Evaluate(string expression, IReadOnlyDictionary<string, Rational>? variables = null)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (expression.Length > MaxLength)
            throw new CalculatorException($"expression too long ({expression.Length} characters, at most {MaxLength})", MaxLength);
        var evaluator = new ExpressionEvaluator(expression, variables ?? new Dictionary<string, Rational>());
        evaluator.SkipSpace();
        if (evaluator.AtEnd) throw new CalculatorException("empty expression", 0);
        try
        {
            var value = evaluator.ParseExpression();
            evaluator.SkipSpace();
            if (!evaluator.AtEnd) throw evaluator.Error($"unexpected '{evaluator.Current}'");
            return value;
        }
        catch (DivideByZeroException)
        {
            throw new CalculatorException("division by zero", evaluator._pos);
        }
    }

    /// <summary>Like <see cref="Evaluate"/>, but returns false with the error message instead of throwing.</summary>
    public static bool TryEvaluate(string expression, out CalculatorValue value, out string? error, IReadOnlyDictionary<string, Rational>? variables = null)
    {
        try
        {
            value = Evaluate(expression, variables);
            error = null;
            return true;
        }
        catch (CalculatorException ex)
        {
            value = default;
            error = ex.Message;
            return false;
        }
    }

    private bool AtEnd => _pos >= _text.Length;

    private char Current => _text[_pos];

    private CalculatorValue ParseExpression()
    {
        Enter();
        var value = ParseTerm();
        while (true)
        {
            SkipSpace();
            if (AtEnd) break;
            if (Current == '+') { _pos++; value += ParseTerm(); }
            else if (Current is '-' or '−') { _pos++; value -= ParseTerm(); }
            else break;
        }
        _depth--;
        return value;
    }

    private CalculatorValue ParseTerm()
    {
        var value = ParseUnary();
        while (true)
        {
            SkipSpace();
            if (AtEnd) break;
            if (Current == '*' && !Peek("**") || Current is '×' or '·' || IsLetterTimes())
            {
                _pos++;
                value *= ParseUnary();
            }
            else if (Current is '/' or '÷')
            {
                var at = _pos;
                var floor = Peek("//");
                _pos += floor ? 2 : 1;
                var divisor = ParseUnary();
                try { value = floor ? value.FloorDivide(divisor) : value / divisor; }
                catch (DivideByZeroException) { throw new CalculatorException("division by zero", at); }
            }
            else break;
        }
        return value;
    }

    private CalculatorValue ParseUnary()
    {
        SkipSpace();
        if (AtEnd) throw Error("expected a number");
        if (Current == '+') { _pos++; Enter(); var v = ParseUnary(); _depth--; return v; }
        if (Current is '-' or '−') { _pos++; Enter(); var v = -ParseUnary(); _depth--; return v; }
        return ParsePower();
    }

    private CalculatorValue ParsePower()
    {
        var at = _pos;
        var value = ParseAtom();
        SkipSpace();
        if (!AtEnd && (Current == '^' || Peek("**")))
        {
            _pos += Current == '^' ? 1 : 2;
            Enter();
            var exponent = ParseUnary();
            _depth--;
            try { return value.Pow(exponent); }
            catch (CalculatorException ex) { throw new CalculatorException(ex.Message, at); }
        }
        return value;
    }

    private CalculatorValue ParseAtom()
    {
        SkipSpace();
        if (AtEnd) throw Error("expected a number");
        var c = Current;
        if (c == '(')
        {
            var open = _pos++;
            var value = ParseExpression();
            SkipSpace();
            if (AtEnd || Current != ')') throw new CalculatorException("missing ')' for '(' at position " + open, _pos);
            _pos++;
            return value;
        }
        if (char.IsAsciiDigit(c) || c == '.') return ParseNumber();
        if (char.IsLetter(c) || c == '_') return ParseName();
        throw Error($"unexpected '{c}'");
    }

    private CalculatorValue ParseNumber()
    {
        var start = _pos;
        var digits = new System.Text.StringBuilder();
        ReadDigits(digits, allowGroups: true);
        if (!AtEnd && Current == '.')
        {
            digits.Append('.');
            _pos++;
            ReadDigits(digits, allowGroups: false);
        }
        if (digits.ToString() is "." or "") throw new CalculatorException("expected a number", start);
        if (!AtEnd && Current is 'e' or 'E' && _pos + 1 < _text.Length &&
            (char.IsAsciiDigit(_text[_pos + 1]) || _text[_pos + 1] is '+' or '-' && _pos + 2 < _text.Length && char.IsAsciiDigit(_text[_pos + 2])))
        {
            digits.Append('e');
            _pos++;
            if (Current is '+' or '-') digits.Append(_text[_pos++]);
            ReadDigits(digits, allowGroups: false);
        }
        if (!AtEnd && (char.IsLetter(Current) && !IsLetterTimes() || Current == '('))
            throw Error($"unexpected '{Current}' after a number (write '*' to multiply)");
        if (!Rational.TryParse(digits.ToString(), out var value))
            throw new CalculatorException($"bad number '{_text[start.._pos]}'", start);
        return CalculatorValue.FromExact(value);
    }

    private void ReadDigits(System.Text.StringBuilder into, bool allowGroups)
    {
        var runStart = into.Length;
        while (!AtEnd)
        {
            if (char.IsAsciiDigit(Current))
            {
                into.Append(Current);
                _pos++;
            }
            else if (allowGroups && Current == ',' && IsDigitGroupComma(into.Length - runStart))
            {
                _pos++; // 1,000 reads as 1000
            }
            else break;
        }
    }

    // A comma separates thousands when 1–3 digits came before the first comma and exactly three follow it.
    private bool IsDigitGroupComma(int digitsSoFar)
    {
        if (digitsSoFar == 0) return false;
        for (var k = 1; k <= 3; k++)
            if (_pos + k >= _text.Length || !char.IsAsciiDigit(_text[_pos + k])) return false;
        return _pos + 4 >= _text.Length || !char.IsAsciiDigit(_text[_pos + 4]);
    }

    private CalculatorValue ParseName()
    {
        var start = _pos;
        while (!AtEnd && (char.IsLetterOrDigit(Current) || Current == '_')) _pos++;
        var name = _text[start.._pos];
        if (_variables.TryGetValue(name, out var value)) return CalculatorValue.FromExact(value);
        var known = _variables.Count == 0 ? "" : $" (known: {string.Join(", ", _variables.Keys.Order(StringComparer.Ordinal))})";
        throw new CalculatorException($"unknown name '{name}'{known}", start);
    }

    // "12 x 3": an x between two numbers is a times sign, not a name.
    private bool IsLetterTimes()
    {
        if (AtEnd || Current is not ('x' or 'X') || _variables.ContainsKey(Current.ToString())) return false;
        var before = _pos - 1;
        while (before >= 0 && _text[before] == ' ') before--;
        var after = _pos + 1;
        while (after < _text.Length && _text[after] == ' ') after++;
        return before >= 0 && (char.IsAsciiDigit(_text[before]) || _text[before] == ')') &&
               after < _text.Length && (char.IsAsciiDigit(_text[after]) || _text[after] is '(' or '.');
    }

    private bool Peek(string s) => string.CompareOrdinal(_text, _pos, s, 0, s.Length) == 0;

    private void SkipSpace()
    {
        while (!AtEnd && char.IsWhiteSpace(Current)) _pos++;
    }

    private void Enter()
    {
        if (++_depth > MaxDepth) throw new CalculatorException($"expression nested too deeply (more than {MaxDepth} levels)", _pos);
    }

    private CalculatorException Error(string message) => new($"{message} at position {_pos}", _pos);
}
