using System.Runtime.CompilerServices;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using ToolSharp.Core.Json;

namespace ToolSharp.Core.Formats;

/// <summary>A recursive-descent parser for Python call lists and literals, producing <see cref="PythonExpression"/> trees
/// (and, for tool calls, JSON arguments).</summary>
/// <remarks>
/// Grammar: <c>[call, …]</c> or a single <c>call</c>; <c>call := dotted.name(kw=literal, …)</c>; literals are ints
/// (decimal, 0x/0o/0b, underscores), floats (<c>1.</c>, <c>.5</c>, <c>1e-3</c>), strings (single/double/triple quotes,
/// r/u/b prefixes, all Python escapes, adjacent-literal concatenation), <c>True</c>/<c>False</c>/<c>None</c>, lists,
/// tuples (become arrays), sets (become arrays) and dicts. Floats stay floats in JSON (<c>1.</c> becomes <c>1.0</c>) so
/// "int vs float" survives. Errors carry the offset; the parser never throws to its caller.
/// In expression mode (<see cref="PythonSyntax"/>) it also accepts what Python's <c>eval</c> of a call needs: positional
/// arguments before keyword ones, nested calls, bare names and any hashable-looking dict key; the JSON entry points keep
/// rejecting those as structural errors.
/// </remarks>
internal sealed class PythonLiteralParser
{
    private readonly string _text;
    private readonly bool _expressions;
    private int _pos;

    private PythonLiteralParser(string text, int start, bool expressions)
    {
        _text = text;
        _pos = start;
        _expressions = expressions;
    }

    /// <summary>A parsed call: dotted name, keyword arguments as a JSON object, and where it started.</summary>
    public sealed record ParsedCall(string Name, JsonElement Arguments, int Position);

    /// <summary>The outcome: calls parsed, where parsing stopped, and the first error (null on success).</summary>
    /// <summary><see cref="Structural"/> marks valid Python that is not a valid call (positional arguments, variables).</summary>
    public sealed record Result(IReadOnlyList<ParsedCall> Calls, int End, string? Error, int ErrorPosition, bool Structural = false);

    /// <summary>Parses <c>[call, …]</c> (or one bare call) starting at <paramref name="start"/>.</summary>
    public static Result ParseCalls(string text, int start)
    {
        var p = new PythonLiteralParser(text, start, expressions: false);
        var calls = new List<ParsedCall>();
        try
        {
            p.SkipSpace();
            if (p.Peek() == '[')
            {
                p._pos++;
                p.SkipSpace();
                while (p.Peek() != ']')
                {
                    calls.Add(ToParsedCall(p.ParseCall()));
                    p.SkipSpace();
                    if (p.Peek() == ',') { p._pos++; p.SkipSpace(); continue; }
                    if (p.Peek() != ']') throw p.Fail($"expected ',' or ']' after a call, found {p.Describe()}");
                }
                p._pos++;
            }
            else
            {
                calls.Add(ToParsedCall(p.ParseCall()));
            }
            return new Result(calls, p._pos, null, -1);
        }
        catch (SyntaxError e)
        {
            return new Result(calls, p._pos, e.Message, e.Position, e.Structural);
        }
    }

    /// <summary>Parses a single literal (for tests and tools that accept Python values).</summary>
    public static bool TryParseLiteral(string text, out JsonElement value, out string? error)
    {
        var p = new PythonLiteralParser(text, 0, expressions: false);
        try
        {
            p.SkipSpace();
            var v = p.ParseValue();
            p.SkipSpace();
            if (p._pos != text.Length) throw p.Fail($"unexpected {p.Describe()} after the value");
            value = JsonValues.Build(w => WriteJson(w, v));
            error = null;
            return true;
        }
        catch (SyntaxError e)
        {
            value = default;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Parses one expression that spans the whole text (surrounding whitespace allowed), in expression mode.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static PythonSyntax.ParseResult ParseExpression(string text)
    {
        var p = new PythonLiteralParser(text, 0, expressions: true);
        try
        {
            p.SkipSpace();
            var v = p.ParseValue();
            p.SkipSpace();
            if (p._pos != text.Length) throw p.Fail($"unexpected {p.Describe()} after the expression");
            return new PythonSyntax.ParseResult(v, null, -1);
        }
        catch (SyntaxError e)
        {
            return new PythonSyntax.ParseResult(null, e.Message, e.Position);
        }
    }

    /// <summary>Parses a module made only of <c>NAME = expression</c> statements (comments and blank lines allowed).</summary>
    public static PythonSyntax.AssignmentsResult ParseAssignments(string text)
    {
        var p = new PythonLiteralParser(text, 0, expressions: true);
        var assignments = new List<KeyValuePair<string, PythonExpression>>();
        try
        {
            while (true)
            {
                p.SkipSpaceAndComments();
                if (p._pos >= text.Length) break;
                if (!IsIdentifierStart(p.Peek())) throw p.Fail($"expected a name to assign, found {p.Describe()}");
                var name = p.ParseIdentifier();
                p.SkipSpace();
                if (p.Peek() != '=') throw p.Fail($"expected '=' after '{name}', found {p.Describe()}");
                p._pos++;
                p.SkipSpace();
                assignments.Add(new(name, p.ParseValue()));
            }
            return new PythonSyntax.AssignmentsResult(assignments, null, -1);
        }
        catch (SyntaxError e)
        {
            return new PythonSyntax.AssignmentsResult(assignments, e.Message, e.Position);
        }
    }

    private void SkipSpaceAndComments()
    {
        while (true)
        {
            SkipSpace();
            if (Peek() != '#') return;
            while (_pos < _text.Length && _text[_pos] != '\n') _pos++;
        }
    }

    private static ParsedCall ToParsedCall(PythonExpression.Call call) =>
        new(call.Target, JsonValues.Build(w =>
        {
            w.WriteStartObject();
            foreach (var (key, value) in call.Keywords)
            {
                w.WritePropertyName(key);
                WriteJson(w, value);
            }
            w.WriteEndObject();
        }), call.Position);

    /// <summary>Writes a literal tree as JSON: tuples and sets become arrays, dict keys become strings.</summary>
    private static void WriteJson(Utf8JsonWriter w, PythonExpression e)
    {
        switch (e)
        {
            case PythonExpression.Constant { Value: null }: w.WriteNullValue(); break;
            case PythonExpression.Constant { Value: bool b }: w.WriteBooleanValue(b); break;
            case PythonExpression.Constant { Value: string s }: w.WriteStringValue(s); break;
            case PythonExpression.Constant c: w.WriteRawValue(c.NumberText!); break;
            case PythonExpression.Sequence s:
                w.WriteStartArray();
                foreach (var item in s.Items) WriteJson(w, item);
                w.WriteEndArray();
                break;
            case PythonExpression.Dict d:
                w.WriteStartObject();
                foreach (var (key, value) in d.Entries)
                {
                    w.WritePropertyName(JsonKey(key));
                    WriteJson(w, value);
                }
                w.WriteEndObject();
                break;
            default:
                throw new InvalidOperationException($"not a literal: {e}");
        }
    }

    private static string JsonKey(PythonExpression key) => key switch
    {
        PythonExpression.Constant { Value: string s } => s,
        PythonExpression.Constant { Value: null } => "None",
        PythonExpression.Constant { Value: true } => "True",
        PythonExpression.Constant { Value: false } => "False",
        PythonExpression.Constant c => c.NumberText!,
        _ => throw new InvalidOperationException("dict key is not a constant"),
    };

    private PythonExpression.Call ParseCall()
    {
        var start = _pos;
        var name = ParseDottedName();
        SkipSpace();
        if (Peek() != '(') throw Fail($"expected '(' after function name '{name}', found {Describe()}");
        return ParseArguments(name, start);
    }

    /// <summary>Parses <c>(args)</c> after a call target; the position is at '('.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private PythonExpression.Call ParseArguments(string name, int start)
    {
        _pos++;
        var positional = new List<PythonExpression>();
        var keywords = new List<KeyValuePair<string, PythonExpression>>();
        SkipSpace();
        while (Peek() != ')')
        {
            var argStart = _pos;
            string? key = null;
            if (IsIdentifierStart(Peek()))
            {
                var identifier = ParseIdentifier();
                SkipSpace();
                if (Peek() == '=' && PeekAt(1) != '=') key = identifier;
                else _pos = argStart;
            }
            if (key is null)
            {
                if (!_expressions)
                    throw Fail($"positional argument in call to '{name}': only keyword arguments (name=value) are supported", structural: true);
                if (keywords.Count > 0) throw Fail("positional argument follows keyword argument", argStart);
                positional.Add(ParseValue());
            }
            else
            {
                _pos++;
                SkipSpace();
                if (keywords.Any(k => k.Key == key))
                {
                    throw _expressions
                        ? Fail($"keyword argument repeated: {key}", argStart)
                        : Fail($"keyword argument '{key}' repeated in call to '{name}'", structural: true);
                }
                keywords.Add(new(key, ParseValue()));
            }
            SkipSpace();
            if (Peek() == ',') { _pos++; SkipSpace(); continue; }
            if (Peek() != ')') throw Fail($"expected ',' or ')' in call to '{name}', found {Describe()}");
        }
        _pos++;
        return new PythonExpression.Call(name, positional, keywords, start);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string ParseDottedName()
    {
        if (!IsIdentifierStart(Peek())) throw Fail($"expected a function name, found {Describe()}");
        var start = _pos;
        ParseIdentifier();
        while (Peek() == '.' && _pos + 1 < _text.Length && IsIdentifierStart(_text[_pos + 1]))
        {
            _pos++;
            ParseIdentifier();
        }
        return _text[start.._pos];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string ParseIdentifier()
    {
        var start = _pos;
        while (_pos < _text.Length && IsIdentifierPart(_text[_pos])) _pos++;
        return _text[start.._pos];
    }

    /// <summary>Parses one value: a literal, or in expression mode also a name or a call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private PythonExpression ParseValue()
    {
        var c = Peek();
        var start = _pos;
        switch (c)
        {
            case '[': return ParseSequence('[', ']', PythonSequenceKind.List);
            case '(': return ParseParenthesized();
            case '{': return ParseBraces();
            case '"' or '\'': return new PythonExpression.Constant(ParseStrings(), null, start);
            case '-' or '+':
            {
                var sign = c;
                _pos++;
                SkipSpace();
                if (!(char.IsAsciiDigit(Peek()) || Peek() == '.')) throw Fail($"expected a number after '{sign}', found {Describe()}");
                var number = ParseNumber(start);
                return sign == '-' ? Negate(number) : number;
            }
        }
        if (char.IsAsciiDigit(c) || (c == '.' && _pos + 1 < _text.Length && char.IsAsciiDigit(_text[_pos + 1])))
            return ParseNumber(start);
        if (_expressions && c == '.' && PeekAt(1) == '.' && PeekAt(2) == '.')
        {
            _pos += 3;
            return new PythonExpression.Name("Ellipsis", start);
        }
        if (IsIdentifierStart(c))
        {
            var word = ParseIdentifier();
            if ((Peek() == '"' || Peek() == '\'') && IsStringPrefix(word))
            {
                _pos = start;
                return new PythonExpression.Constant(ParseStrings(), null, start);
            }
            switch (word)
            {
                case "True": return new PythonExpression.Constant(true, null, start);
                case "False": return new PythonExpression.Constant(false, null, start);
                case "None": return new PythonExpression.Constant(null, null, start);
            }
            if (!_expressions) throw Fail($"'{word}' is not a literal (variables and expressions are not allowed)", start, structural: true);
            _pos = start;
            var path = ParseDottedName();
            SkipSpace();
            return Peek() == '(' ? ParseArguments(path, start) : new PythonExpression.Name(path, start);
        }
        throw Fail($"expected a value, found {Describe()}");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private PythonExpression.Sequence ParseSequence(char open, char close, PythonSequenceKind kind)
    {
        var start = _pos;
        _pos++; // open
        var items = new List<PythonExpression>();
        SkipSpace();
        while (Peek() != close)
        {
            items.Add(ParseValue());
            SkipSpace();
            if (Peek() == ',') { _pos++; SkipSpace(); continue; }
            if (Peek() != close) throw Fail($"expected ',' or '{close}', found {Describe()}");
        }
        _pos++;
        return new PythonExpression.Sequence(kind, items, start);
    }

    // (x) is x; (x,) and (x, y) are tuples.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private PythonExpression ParseParenthesized()
    {
        var start = _pos;
        _pos++;
        SkipSpace();
        if (Peek() == ')')
        {
            _pos++;
            return new PythonExpression.Sequence(PythonSequenceKind.Tuple, [], start);
        }
        var first = ParseValue();
        SkipSpace();
        if (Peek() == ')')
        {
            _pos++;
            return first;
        }
        _pos = start;
        return ParseSequence('(', ')', PythonSequenceKind.Tuple);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private PythonExpression ParseBraces()
    {
        var start = _pos;
        _pos++;
        SkipSpace();
        if (Peek() == '}')
        {
            _pos++;
            return new PythonExpression.Dict([], start);
        }
        // Decide dict vs set from the first element.
        var keyStart = _pos;
        ParseKey(out var isDict);
        if (!isDict)
        {
            _pos = start;
            return ParseSequence('{', '}', PythonSequenceKind.Set);
        }
        _pos = keyStart;
        var entries = new List<KeyValuePair<PythonExpression, PythonExpression>>();
        while (Peek() != '}')
        {
            var key = ParseKey(out var colon);
            if (!colon) throw Fail($"expected ':' after dict key, found {Describe()}");
            _pos++;
            SkipSpace();
            entries.Add(new(key, ParseValue()));
            SkipSpace();
            if (Peek() == ',') { _pos++; SkipSpace(); continue; }
            if (Peek() != '}') throw Fail($"expected ',' or '}}' in dict, found {Describe()}");
        }
        _pos++;
        return new PythonExpression.Dict(entries, start);
    }

    /// <summary>Parses a dict key and reports whether ':' follows. JSON keys must be strings, numbers, booleans or None.</summary>
    private PythonExpression ParseKey(out bool colonFollows)
    {
        var keyStart = _pos;
        var key = ParseValue();
        if (!_expressions && key is not PythonExpression.Constant) throw Fail("dict keys must be strings, numbers, booleans or None", keyStart);
        SkipSpace();
        colonFollows = Peek() == ':';
        return key;
    }

    private bool IsPrefixedString()
    {
        var save = _pos;
        var word = ParseIdentifier();
        var result = IsStringPrefix(word) && (Peek() == '"' || Peek() == '\'');
        _pos = save;
        return result;
    }

    // f is accepted here only so that an f-string is reported as such rather than as an unknown name.
    private static bool IsStringPrefix(string word) =>
        word.Length <= 2 && word.All(ch => "rRuUbBfF".Contains(ch)) && !(word.Length == 2 && char.ToLowerInvariant(word[0]) == char.ToLowerInvariant(word[1]));

    /// <summary>One or more adjacent string literals, concatenated as Python does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string ParseStrings()
    {
        var first = ParseOneString();
        SkipSpace();
        if (!(Peek() is '"' or '\'' || (IsIdentifierStart(Peek()) && IsPrefixedString()))) return first;
        var sb = new StringBuilder(first);
        do
        {
            sb.Append(ParseOneString());
            SkipSpace();
        } while (Peek() is '"' or '\'' || (IsIdentifierStart(Peek()) && IsPrefixedString()));
        return sb.ToString();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string ParseOneString()
    {
        var start = _pos;
        var raw = false;
        while (char.IsLetter(Peek()))
        {
            var p = char.ToLowerInvariant(Peek());
            if (p == 'r') raw = true;
            else if (p == 'f') throw Fail("f-strings are expressions, not literals", start, structural: true);
            _pos++;
        }
        var quote = Peek();
        var triple = _pos + 2 < _text.Length && _text[_pos + 1] == quote && _text[_pos + 2] == quote;
        _pos += triple ? 3 : 1;
        // Most literals have no escape: take them as a slice of the text.
        if (!triple)
        {
            var close = _text.AsSpan(_pos).IndexOfAny(quote, '\\', '\n');
            if (close >= 0 && _text[_pos + close] == quote)
            {
                var literal = _text.Substring(_pos, close);
                _pos += close + 1;
                return literal;
            }
        }
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length) throw Fail("unterminated string literal", start);
            var c = _text[_pos];
            if (c == quote && (!triple || (_pos + 2 < _text.Length && _text[_pos + 1] == quote && _text[_pos + 2] == quote)))
            {
                _pos += triple ? 3 : 1;
                return sb.ToString();
            }
            if (c == '\n' && !triple) throw Fail("newline in a single-quoted string literal", start);
            if (c == '\\')
            {
                if (raw)
                {
                    // Raw strings keep the backslash, but an escaped quote still does not end the string.
                    sb.Append(c);
                    if (_pos + 1 < _text.Length) sb.Append(_text[_pos + 1]);
                    _pos += 2;
                    continue;
                }
                ParseEscape(sb);
                continue;
            }
            sb.Append(c);
            _pos++;
        }
    }

    private void ParseEscape(StringBuilder sb)
    {
        var at = _pos;
        _pos++;
        if (_pos >= _text.Length) throw Fail("unterminated escape sequence", at);
        var e = _text[_pos++];
        switch (e)
        {
            case '\n': return; // line continuation
            case '\\': sb.Append('\\'); return;
            case '\'': sb.Append('\''); return;
            case '"': sb.Append('"'); return;
            case 'a': sb.Append('\a'); return;
            case 'b': sb.Append('\b'); return;
            case 'f': sb.Append('\f'); return;
            case 'n': sb.Append('\n'); return;
            case 'r': sb.Append('\r'); return;
            case 't': sb.Append('\t'); return;
            case 'v': sb.Append('\v'); return;
            case 'x': AppendCodePoint(sb, ReadHex(2, at), at); return;
            case 'u': AppendCodePoint(sb, ReadHex(4, at), at); return;
            case 'U': AppendCodePoint(sb, ReadHex(8, at), at); return;
            case >= '0' and <= '7':
            {
                var value = e - '0';
                for (var k = 0; k < 2 && _pos < _text.Length && _text[_pos] is >= '0' and <= '7'; k++) value = value * 8 + (_text[_pos++] - '0');
                sb.Append((char)value);
                return;
            }
            default:
                // Python keeps unknown escapes verbatim (with a warning).
                sb.Append('\\').Append(e);
                return;
        }
    }

    private int ReadHex(int digits, int at)
    {
        if (_pos + digits > _text.Length) throw Fail("truncated \\x/\\u/\\U escape", at);
        var hex = _text.Substring(_pos, digits);
        if (!int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value)) throw Fail($"invalid hex digits '{hex}' in escape", at);
        _pos += digits;
        return value;
    }

    private void AppendCodePoint(StringBuilder sb, int codePoint, int at)
    {
        if (codePoint > 0x10FFFF) throw Fail($"code point \\U{codePoint:x8} out of range", at);
        if (codePoint < 0x10000) sb.Append((char)codePoint);
        else sb.Append(char.ConvertFromUtf32(codePoint));
    }

    /// <summary>Parses an unsigned Python number: its value and its JSON text (ints in decimal, floats keeping a fraction or exponent).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private PythonExpression.Constant ParseNumber(int position)
    {
        var start = _pos;
        if (Peek() == '0' && _pos + 1 < _text.Length && "xXoObB".Contains(_text[_pos + 1]))
        {
            var radix = char.ToLowerInvariant(_text[_pos + 1]) switch { 'x' => 16, 'o' => 8, _ => 2 };
            _pos += 2;
            var digitsStart = _pos;
            while (_pos < _text.Length && (Uri.IsHexDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
            var digits = _text[digitsStart.._pos].Replace("_", "");
            if (digits.Length == 0) throw Fail("missing digits after radix prefix", start);
            BigInteger value = 0;
            foreach (var d in digits)
            {
                var v = Convert.ToInt32(d.ToString(), 16);
                if (v >= radix) throw Fail($"invalid digit '{d}' for base {radix}", start);
                value = value * radix + v;
            }
            return new PythonExpression.Constant(value, value.ToString(CultureInfo.InvariantCulture), position);
        }

        while (_pos < _text.Length && (char.IsAsciiDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
        var isFloat = false;
        if (Peek() == '.')
        {
            isFloat = true;
            _pos++;
            while (_pos < _text.Length && (char.IsAsciiDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
        }
        if (Peek() is 'e' or 'E')
        {
            var save = _pos;
            _pos++;
            if (Peek() is '+' or '-') _pos++;
            if (!char.IsAsciiDigit(Peek())) _pos = save;
            else
            {
                isFloat = true;
                while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
            }
        }
        if (Peek() is 'j' or 'J') throw Fail("complex numbers are not supported", start);
        var text = _text[start.._pos].Replace("_", "");
        if (!isFloat)
        {
            var trimmed = text.TrimStart('0');
            if (trimmed.Length == 0) trimmed = "0";
            return new PythonExpression.Constant(BigInteger.Parse(trimmed, CultureInfo.InvariantCulture), trimmed, position);
        }
        var parsed = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (text.StartsWith('.')) text = "0" + text;
        if (text.EndsWith('.')) text += "0";
        text = text.Replace(".e", ".0e").Replace(".E", ".0E");
        var intPart = text.Split('.', 'e', 'E')[0];
        var restIndex = intPart.Length;
        var normalizedInt = intPart.TrimStart('0');
        if (normalizedInt.Length == 0) normalizedInt = "0";
        return new PythonExpression.Constant(parsed, normalizedInt + text[restIndex..], position);
    }

    private static PythonExpression.Constant Negate(PythonExpression.Constant number) => number.Value switch
    {
        BigInteger i => new(-i, Flip(number.NumberText!), number.Position),
        double d => new(-d, Flip(number.NumberText!), number.Position),
        _ => number,
    };

    private static string Flip(string text) => text.StartsWith('-') ? text[1..] : "-" + text;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SkipSpace()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (char.IsWhiteSpace(c)) _pos++;
            else if (c == '\\' && _pos + 1 < _text.Length && _text[_pos + 1] == '\n') _pos += 2;
            else break;
        }
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private char PeekAt(int offset) => _pos + offset < _text.Length ? _text[_pos + offset] : '\0';

    private string Describe() => _pos >= _text.Length ? "end of text" : $"'{_text[_pos]}' at offset {_pos}";

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c == '_';

    private SyntaxError Fail(string message, int? position = null, bool structural = false) => new(message, position ?? _pos, structural);

    private sealed class SyntaxError(string message, int position, bool structural) : Exception(message)
    {
        public int Position { get; } = position;

        public bool Structural { get; } = structural;
    }
}
