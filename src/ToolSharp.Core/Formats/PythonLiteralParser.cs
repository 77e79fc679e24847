using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using ToolSharp.Core.Json;

namespace ToolSharp.Core.Formats;

/// <summary>A recursive-descent parser for Python call lists and literals, turning them into JSON values.</summary>
/// <remarks>
/// Grammar: <c>[call, …]</c> or a single <c>call</c>; <c>call := dotted.name(kw=literal, …)</c>; literals are ints
/// (decimal, 0x/0o/0b, underscores), floats (<c>1.</c>, <c>.5</c>, <c>1e-3</c>), strings (single/double/triple quotes,
/// r/u/b prefixes, all Python escapes, adjacent-literal concatenation), <c>True</c>/<c>False</c>/<c>None</c>, lists,
/// tuples (become arrays), sets (become arrays) and dicts. Floats stay floats in JSON (<c>1.</c> becomes <c>1.0</c>) so
/// "int vs float" survives. Errors carry the offset; the parser never throws to its caller.
/// </remarks>
internal sealed class PythonLiteralParser
{
    private readonly string _text;
    private int _pos;

    private PythonLiteralParser(string text, int start)
    {
        _text = text;
        _pos = start;
    }

    /// <summary>A parsed call: dotted name, keyword arguments as a JSON object, and where it started.</summary>
    public sealed record ParsedCall(string Name, JsonElement Arguments, int Position);

    /// <summary>The outcome: calls parsed, where parsing stopped, and the first error (null on success).</summary>
    /// <summary><see cref="Structural"/> marks valid Python that is not a valid call (positional arguments, variables).</summary>
    public sealed record Result(IReadOnlyList<ParsedCall> Calls, int End, string? Error, int ErrorPosition, bool Structural = false);

    /// <summary>Parses <c>[call, …]</c> (or one bare call) starting at <paramref name="start"/>.</summary>
    public static Result ParseCalls(string text, int start)
    {
        var p = new PythonLiteralParser(text, start);
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
                    calls.Add(p.ParseCall());
                    p.SkipSpace();
                    if (p.Peek() == ',') { p._pos++; p.SkipSpace(); continue; }
                    if (p.Peek() != ']') throw p.Fail($"expected ',' or ']' after a call, found {p.Describe()}");
                }
                p._pos++;
            }
            else
            {
                calls.Add(p.ParseCall());
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
        var p = new PythonLiteralParser(text, 0);
        try
        {
            p.SkipSpace();
            var v = p.ParseLiteral();
            p.SkipSpace();
            if (p._pos != text.Length) throw p.Fail($"unexpected {p.Describe()} after the value");
            value = JsonValues.Build(v);
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

    private ParsedCall ParseCall()
    {
        var start = _pos;
        var name = ParseDottedName();
        SkipSpace();
        if (Peek() != '(') throw Fail($"expected '(' after function name '{name}', found {Describe()}");
        _pos++;
        var writers = new List<(string Key, Action<Utf8JsonWriter> Write)>();
        SkipSpace();
        while (Peek() != ')')
        {
            var argStart = _pos;
            if (!IsIdentifierStart(Peek()))
                throw Fail($"positional argument in call to '{name}': only keyword arguments (name=value) are supported", structural: true);
            var key = ParseIdentifier();
            SkipSpace();
            if (Peek() != '=')
            {
                _pos = argStart;
                throw Fail($"positional argument in call to '{name}': only keyword arguments (name=value) are supported", structural: true);
            }
            _pos++;
            SkipSpace();
            if (writers.Any(w => w.Key == key)) throw Fail($"keyword argument '{key}' repeated in call to '{name}'", structural: true);
            writers.Add((key, ParseLiteral()));
            SkipSpace();
            if (Peek() == ',') { _pos++; SkipSpace(); continue; }
            if (Peek() != ')') throw Fail($"expected ',' or ')' in call to '{name}', found {Describe()}");
        }
        _pos++;
        var args = JsonValues.Build(w =>
        {
            w.WriteStartObject();
            foreach (var (key, write) in writers)
            {
                w.WritePropertyName(key);
                write(w);
            }
            w.WriteEndObject();
        });
        return new ParsedCall(name, args, start);
    }

    private string ParseDottedName()
    {
        if (!IsIdentifierStart(Peek())) throw Fail($"expected a function name, found {Describe()}");
        var sb = new StringBuilder(ParseIdentifier());
        while (Peek() == '.' && _pos + 1 < _text.Length && IsIdentifierStart(_text[_pos + 1]))
        {
            _pos++;
            sb.Append('.').Append(ParseIdentifier());
        }
        return sb.ToString();
    }

    private string ParseIdentifier()
    {
        var start = _pos;
        while (_pos < _text.Length && IsIdentifierPart(_text[_pos])) _pos++;
        return _text[start.._pos];
    }

    /// <summary>Parses one literal and returns a writer that emits it as JSON.</summary>
    private Action<Utf8JsonWriter> ParseLiteral()
    {
        var c = Peek();
        switch (c)
        {
            case '[': return ParseSequence('[', ']');
            case '(': return ParseParenthesized();
            case '{': return ParseBraces();
            case '"' or '\'': return WriteString(ParseStrings());
            case '-' or '+':
            {
                var sign = c;
                _pos++;
                SkipSpace();
                if (!(char.IsAsciiDigit(Peek()) || Peek() == '.')) throw Fail($"expected a number after '{sign}', found {Describe()}");
                var number = ParseNumber();
                return w => w.WriteRawValue(sign == '-' ? Negate(number) : number);
            }
        }
        if (char.IsAsciiDigit(c) || (c == '.' && _pos + 1 < _text.Length && char.IsAsciiDigit(_text[_pos + 1])))
        {
            var number = ParseNumber();
            return w => w.WriteRawValue(number);
        }
        if (IsIdentifierStart(c))
        {
            var start = _pos;
            var word = ParseIdentifier();
            if ((Peek() == '"' || Peek() == '\'') && IsStringPrefix(word))
            {
                _pos = start;
                return WriteString(ParseStrings());
            }
            return word switch
            {
                "True" => w => w.WriteBooleanValue(true),
                "False" => w => w.WriteBooleanValue(false),
                "None" => w => w.WriteNullValue(),
                _ => throw Fail($"'{word}' is not a literal (variables and expressions are not allowed)", start, structural: true),
            };
        }
        throw Fail($"expected a value, found {Describe()}");
    }

    private Action<Utf8JsonWriter> ParseSequence(char open, char close)
    {
        _pos++; // open
        var items = new List<Action<Utf8JsonWriter>>();
        SkipSpace();
        while (Peek() != close)
        {
            items.Add(ParseLiteral());
            SkipSpace();
            if (Peek() == ',') { _pos++; SkipSpace(); continue; }
            if (Peek() != close) throw Fail($"expected ',' or '{close}', found {Describe()}");
        }
        _pos++;
        return w =>
        {
            w.WriteStartArray();
            foreach (var item in items) item(w);
            w.WriteEndArray();
        };
    }

    // (x) is x; (x,) and (x, y) are tuples, which JSON writes as arrays.
    private Action<Utf8JsonWriter> ParseParenthesized()
    {
        var start = _pos;
        _pos++;
        SkipSpace();
        if (Peek() == ')')
        {
            _pos++;
            return w => { w.WriteStartArray(); w.WriteEndArray(); };
        }
        var first = ParseLiteral();
        SkipSpace();
        if (Peek() == ')')
        {
            _pos++;
            return first;
        }
        _pos = start;
        return ParseSequence('(', ')');
    }

    private Action<Utf8JsonWriter> ParseBraces()
    {
        var start = _pos;
        _pos++;
        SkipSpace();
        if (Peek() == '}')
        {
            _pos++;
            return w => { w.WriteStartObject(); w.WriteEndObject(); };
        }
        // Decide dict vs set from the first element.
        var keyStart = _pos;
        var firstKey = ParseKey(out var isDict);
        if (!isDict)
        {
            _pos = start;
            return ParseSequence('{', '}');
        }
        _pos = keyStart;
        var entries = new List<(string Key, Action<Utf8JsonWriter> Value)>();
        while (Peek() != '}')
        {
            var key = ParseKey(out var colon);
            if (!colon) throw Fail($"expected ':' after dict key, found {Describe()}");
            _pos++;
            SkipSpace();
            entries.Add((key, ParseLiteral()));
            SkipSpace();
            if (Peek() == ',') { _pos++; SkipSpace(); continue; }
            if (Peek() != '}') throw Fail($"expected ',' or '}}' in dict, found {Describe()}");
        }
        _pos++;
        _ = firstKey;
        return w =>
        {
            w.WriteStartObject();
            foreach (var (key, value) in entries)
            {
                w.WritePropertyName(key);
                value(w);
            }
            w.WriteEndObject();
        };
    }

    /// <summary>Parses a dict key (a string, number, bool or None; JSON keys are strings) and reports whether ':' follows.</summary>
    private string ParseKey(out bool colonFollows)
    {
        var keyStart = _pos;
        string key;
        var c = Peek();
        if (c is '"' or '\'' || (IsIdentifierStart(c) && IsPrefixedString()))
        {
            key = ParseStrings();
        }
        else
        {
            var literal = ParseLiteral();
            var element = JsonValues.Build(literal);
            key = element.ValueKind switch
            {
                JsonValueKind.Number => element.GetRawText(),
                JsonValueKind.True => "True",
                JsonValueKind.False => "False",
                JsonValueKind.Null => "None",
                _ => throw Fail("dict keys must be strings, numbers, booleans or None", keyStart),
            };
        }
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
    private string ParseStrings()
    {
        var sb = new StringBuilder();
        do
        {
            sb.Append(ParseOneString());
            SkipSpace();
        } while (Peek() is '"' or '\'' || (IsIdentifierStart(Peek()) && IsPrefixedString()));
        return sb.ToString();
    }

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

    /// <summary>Parses an unsigned Python number and returns its JSON text (ints in decimal, floats keeping a fraction or exponent).</summary>
    private string ParseNumber()
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
            return value.ToString(CultureInfo.InvariantCulture);
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
            return trimmed.Length == 0 ? "0" : trimmed;
        }
        if (text.StartsWith('.')) text = "0" + text;
        if (text.EndsWith('.')) text += "0";
        text = text.Replace(".e", ".0e").Replace(".E", ".0E");
        var intPart = text.Split('.', 'e', 'E')[0];
        var restIndex = intPart.Length;
        var normalizedInt = intPart.TrimStart('0');
        if (normalizedInt.Length == 0) normalizedInt = "0";
        return normalizedInt + text[restIndex..];
    }

    private static string Negate(string number) => number.StartsWith('-') ? number[1..] : "-" + number;

    private static Action<Utf8JsonWriter> WriteString(string s) => w => w.WriteStringValue(s);

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
