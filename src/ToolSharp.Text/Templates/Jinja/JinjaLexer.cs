using System.Globalization;
using System.Text;

namespace ToolSharp.Text.Templates.Jinja;

/// <summary>Splits a template into text and tag tokens, applying Jinja2's whitespace control.</summary>
/// <remarks>
/// Whitespace rules are those Hugging Face uses (<c>trim_blocks=True, lstrip_blocks=True</c>, no trailing newline kept):
/// a newline right after a block or comment tag is dropped; spaces and tabs between a line start and a block or comment
/// tag are dropped; <c>-</c> inside a delimiter strips all whitespace on that side; <c>+</c> disables the trim/lstrip.
/// </remarks>
internal sealed class JinjaLexer
{
    private static readonly string[] Operators =
    [
        "**", "//", "==", "!=", "<=", ">=",
        "+", "-", "*", "/", "%", "~", "<", ">", "=", "(", ")", "[", "]", "{", "}", ".", ",", ":", "|",
    ];

    private readonly string _src;
    private readonly string _source;
    private readonly List<JinjaToken> _tokens = [];
    private int _pos;

    private JinjaLexer(string template, string source)
    {
        // keep_trailing_newline=False: one trailing newline of the template is not output.
        _src = template.EndsWith('\n') ? template[..^1] : template;
        _source = source;
    }

    public static List<JinjaToken> Tokenize(string template, string source)
    {
        var lexer = new JinjaLexer(template, source);
        lexer.Run();
        return lexer._tokens;
    }

    private int _linePos;
    private int _lineNumber = 1;

    /// <summary>1-based line of a position; positions are asked for in increasing order, so count incrementally.</summary>
    private int LineAt(int pos)
    {
        if (pos < _linePos) { _linePos = 0; _lineNumber = 1; }
        for (; _linePos < pos && _linePos < _src.Length; _linePos++) if (_src[_linePos] == '\n') _lineNumber++;
        return _lineNumber;
    }

    private void Run()
    {
        var stripNext = false; // previous tag ended with '-'
        var trimNext = false;  // previous block/comment tag ended without '+' (trim_blocks)
        var line = 1;
        while (true)
        {
            var tagStart = FindTagStart(_pos);
            var a = _pos;
            var b = tagStart < 0 ? _src.Length : tagStart;
            if (stripNext) while (a < b && char.IsWhiteSpace(_src[a])) a++;
            else if (trimNext)
            {
                if (a < b && _src[a] == '\n') a++;
                else if (a + 1 < b && _src[a] == '\r' && _src[a + 1] == '\n') a += 2;
            }
            if (tagStart >= 0)
            {
                var kind = _src[tagStart + 1];
                var modifier = tagStart + 2 < _src.Length ? _src[tagStart + 2] : '\0';
                if (modifier == '-') while (b > a && char.IsWhiteSpace(_src[b - 1])) b--;
                else if (modifier != '+' && kind is '%' or '#')
                {
                    var k = b;
                    while (k > a && _src[k - 1] is ' ' or '\t') k--;
                    if (k == 0 || _src[k - 1] == '\n') b = k;
                }
            }
            if (b > a) _tokens.Add(new JinjaToken(JinjaTokenKind.Data, _src[a..b], line));
            if (tagStart < 0) break;

            line = LineAt(tagStart);
            var tagKind = _src[tagStart + 1];
            _pos = tagStart + 2;
            if (_pos < _src.Length && _src[_pos] is '-' or '+') _pos++;
            if (tagKind == '#')
            {
                var end = _src.IndexOf("#}", _pos, StringComparison.Ordinal);
                if (end < 0) throw new TemplateError(_source, line, "unclosed comment: expected '#}', found end of template");
                stripNext = _src[end - 1] == '-' && end - 1 >= _pos;
                trimNext = !(_src[end - 1] == '+' && end - 1 >= _pos);
                _pos = end + 2;
            }
            else
            {
                var isBlock = tagKind == '%';
                if (isBlock && TryRaw(line)) { stripNext = false; trimNext = true; continue; }
                _tokens.Add(new JinjaToken(isBlock ? JinjaTokenKind.BlockBegin : JinjaTokenKind.VariableBegin, isBlock ? "{%" : "{{", line));
                var endMark = LexTag(isBlock ? '%' : '}', line);
                stripNext = endMark == '-';
                trimNext = isBlock && endMark != '+';
            }
            line = LineAt(_pos);
        }
        _tokens.Add(new JinjaToken(JinjaTokenKind.End, "", LineAt(_src.Length)));
    }

    private int FindTagStart(int from)
    {
        for (var i = _src.IndexOf('{', from); i >= 0 && i + 1 < _src.Length; i = _src.IndexOf('{', i + 1))
        {
            if (_src[i + 1] is '{' or '%' or '#') return i;
        }
        return -1;
    }

    /// <summary>{% raw %}…{% endraw %}: the body is output verbatim.</summary>
    private bool TryRaw(int line)
    {
        var p = _pos;
        while (p < _src.Length && char.IsWhiteSpace(_src[p])) p++;
        if (string.CompareOrdinal(_src, p, "raw", 0, 3) != 0) return false;
        p += 3;
        while (p < _src.Length && char.IsWhiteSpace(_src[p])) p++;
        if (p < _src.Length && _src[p] == '-') p++;
        if (string.CompareOrdinal(_src, p, "%}", 0, 2) != 0) return false;
        var bodyStart = p + 2;
        var search = bodyStart;
        while (true)
        {
            var tag = _src.IndexOf("{%", search, StringComparison.Ordinal);
            if (tag < 0) throw new TemplateError(_source, line, "unclosed raw block: expected '{% endraw %}', found end of template");
            var q = tag + 2;
            if (q < _src.Length && _src[q] is '-' or '+') q++;
            while (q < _src.Length && char.IsWhiteSpace(_src[q])) q++;
            if (string.CompareOrdinal(_src, q, "endraw", 0, 6) == 0)
            {
                var close = _src.IndexOf("%}", q, StringComparison.Ordinal);
                if (close < 0) throw new TemplateError(_source, line, "unclosed endraw tag");
                _tokens.Add(new JinjaToken(JinjaTokenKind.Data, _src[bodyStart..tag], line));
                _pos = close + 2;
                return true;
            }
            search = tag + 2;
        }
    }

    /// <summary>Lexes expression tokens up to the closing delimiter; returns the modifier before it ('-', '+' or '\0').</summary>
    private char LexTag(char closer, int line)
    {
        var endKind = closer == '%' ? JinjaTokenKind.BlockEnd : JinjaTokenKind.VariableEnd;
        var endText = closer == '%' ? "%}" : "}}";
        while (true)
        {
            while (_pos < _src.Length && char.IsWhiteSpace(_src[_pos])) _pos++;
            if (_pos >= _src.Length) throw new TemplateError(_source, line, $"unclosed tag: expected '{endText}', found end of template");
            var tokLine = LineAt(_pos);
            if (_src[_pos] is '-' or '+' && string.CompareOrdinal(_src, _pos + 1, endText, 0, 2) == 0)
            {
                var m = _src[_pos];
                _pos += 3;
                _tokens.Add(new JinjaToken(endKind, endText, tokLine));
                return m;
            }
            if (string.CompareOrdinal(_src, _pos, endText, 0, 2) == 0)
            {
                _pos += 2;
                _tokens.Add(new JinjaToken(endKind, endText, tokLine));
                return '\0';
            }
            var c = _src[_pos];
            if (c is '"' or '\'') { _tokens.Add(new JinjaToken(JinjaTokenKind.String, ReadString(tokLine), tokLine)); continue; }
            if (char.IsAsciiDigit(c)) { _tokens.Add(ReadNumber(tokLine)); continue; }
            if (char.IsLetter(c) || c == '_')
            {
                var s = _pos;
                while (_pos < _src.Length && (char.IsLetterOrDigit(_src[_pos]) || _src[_pos] == '_')) _pos++;
                _tokens.Add(new JinjaToken(JinjaTokenKind.Name, _src[s.._pos], tokLine));
                continue;
            }
            var op = Operators.FirstOrDefault(o => string.CompareOrdinal(_src, _pos, o, 0, o.Length) == 0);
            if (op is null) throw new TemplateError(_source, tokLine, $"unexpected character '{c}' inside a tag");
            _pos += op.Length;
            _tokens.Add(new JinjaToken(JinjaTokenKind.Operator, op, tokLine));
        }
    }

    private JinjaToken ReadNumber(int line)
    {
        var s = _pos;
        while (_pos < _src.Length && (char.IsAsciiDigit(_src[_pos]) || _src[_pos] == '_')) _pos++;
        var isFloat = false;
        if (_pos + 1 < _src.Length && _src[_pos] == '.' && char.IsAsciiDigit(_src[_pos + 1]))
        {
            isFloat = true;
            _pos++;
            while (_pos < _src.Length && char.IsAsciiDigit(_src[_pos])) _pos++;
        }
        if (_pos < _src.Length && _src[_pos] is 'e' or 'E')
        {
            var save = _pos;
            _pos++;
            if (_pos < _src.Length && _src[_pos] is '+' or '-') _pos++;
            if (_pos < _src.Length && char.IsAsciiDigit(_src[_pos]))
            {
                isFloat = true;
                while (_pos < _src.Length && char.IsAsciiDigit(_src[_pos])) _pos++;
            }
            else _pos = save;
        }
        return new JinjaToken(isFloat ? JinjaTokenKind.Float : JinjaTokenKind.Integer, _src[s.._pos].Replace("_", ""), line);
    }

    /// <summary>A Python string literal: the usual backslash escapes, \xNN, \uNNNN, \UNNNNNNNN.</summary>
    private string ReadString(int line)
    {
        var quote = _src[_pos++];
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _src.Length) throw new TemplateError(_source, line, $"unterminated string literal: expected {quote}, found end of template");
            var c = _src[_pos++];
            if (c == quote) return sb.ToString();
            if (c != '\\' || _pos >= _src.Length) { sb.Append(c); continue; }
            var e = _src[_pos++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case 'a': sb.Append('\a'); break;
                case '0': sb.Append('\0'); break;
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case '\n': break;
                case 'x': sb.Append((char)Hex(2, line)); break;
                case 'u': sb.Append((char)Hex(4, line)); break;
                case 'U': sb.Append(char.ConvertFromUtf32(Hex(8, line))); break;
                default: sb.Append('\\').Append(e); break; // Python keeps unknown escapes verbatim
            }
        }
    }

    private int Hex(int digits, int line)
    {
        if (_pos + digits > _src.Length || !int.TryParse(_src.AsSpan(_pos, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v))
            throw new TemplateError(_source, line, $"bad escape in string literal: expected {digits} hex digits");
        _pos += digits;
        return v;
    }
}
