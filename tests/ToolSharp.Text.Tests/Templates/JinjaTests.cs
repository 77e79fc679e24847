using ToolSharp.Text.Templates.Jinja;
using System.Text.Json;
using ToolSharp.Text.Templates;

namespace ToolSharp.Text.Tests.Templates;

/// <summary>Jinja2 semantics checked against what CPython Jinja2 3.1 prints with trim_blocks/lstrip_blocks (values taken from it).</summary>
public class JinjaTests
{
    private static string R(string template, string varsJson = "{}")
    {
        var vars = JsonDocument.Parse(varsJson).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
        var t = ChatTemplate.FromText(template, "t.jinja");
        return t.Render(JsonDocument.Parse("[]").RootElement, null, false, vars);
    }

    [Theory]
    [InlineData("{% if true %}\nA\n{% endif %}\nB", "A\nB")]                 // trim_blocks
    [InlineData("  {% if true %}\n  A\n  {% endif %}\n", "  A\n")]          // lstrip_blocks; trailing newline dropped
    [InlineData("x  {% if true %}y{% endif %}", "x  y")]                    // lstrip only at line start
    [InlineData("a\n  {{- 'b' }}  \n  {{ 'c' -}}\n  d", "ab  \n  cd")]      // '-' strips all whitespace on its side
    [InlineData("{# note #}\nA", "A")]
    [InlineData("  {%+ if true %}A{% endif %}", "  A")]
    [InlineData("{% raw %}{{ x }}{% endraw %}", "{{ x }}")]
    public void Whitespace_control_matches_jinja2(string template, string expected) => R(template).ShouldBe(expected);

    [Theory]
    [InlineData("{{ [1, 2, 3][::-1] }}", "[3, 2, 1]")]
    [InlineData("{{ 'abcdef'[1:4] }}|{{ 'abc'[-1] }}", "bcd|c")]
    [InlineData("{{ 7 // 2 }} {{ -7 // 2 }} {{ 7 / 2 }} {{ 2 ** 10 }} {{ -7 % 3 }}", "3 -4 3.5 1024 2")]
    [InlineData("{{ none }} {{ true }} {{ 1.0 }} {{ 1e20 }} {{ 0.00001 }}", "None True 1.0 1e+20 1e-05")]
    [InlineData("{{ {'a': [1, 'x'], 'b': none} }}", "{'a': [1, 'x'], 'b': None}")]
    [InlineData("{{ {'b': 1, 'a': 'é'} | tojson }}|{{ {'b': 1, 'a': 2} | tojson(sort_keys=true) }}", "{\"b\": 1, \"a\": \"é\"}|{\"a\": 2, \"b\": 1}")]
    [InlineData("{{ {'a': [1]} | tojson(indent=2) }}", "{\n  \"a\": [\n    1\n  ]\n}")]
    [InlineData("{{ '  x  ' | trim }}|{{ 'a,b' .split(',') | join('-') }}|{{ 'Hi' | upper }}{{ 'Hi' | lower }}", "x|a-b|HIhi")]
    [InlineData("{{ 'x\\ny'.split() }} {{ ' a b '.strip() }} {{ 'aXbX'.replace('X', '') }}", "['x', 'y'] a b ab")]
    [InlineData("{{ '{} and {name}'.format(1, name='two') }}", "1 and two")]
    [InlineData("{% for k, v in {'a': 1, 'b': 2} | items %}{{ k }}={{ v }}{{ ',' if not loop.last }}{% endfor %}", "a=1,b=2")]
    [InlineData("{% for x in [1, 2, 3, 4] if x is even %}{{ loop.index }}:{{ x }}{% endfor %}", "1:22:4")]
    [InlineData("{% for x in [] %}a{% else %}empty{% endfor %}", "empty")]
    [InlineData("{% for x in [1, 2, 3] %}{% if x == 2 %}{% continue %}{% endif %}{{ x }}{% if x == 3 %}{% break %}{% endif %}{% endfor %}", "13")]
    [InlineData("{% set ns = namespace(n=0) %}{% for x in [1, 2] %}{% set ns.n = ns.n + x %}{% endfor %}{{ ns.n }}", "3")]
    [InlineData("{% set n = 0 %}{% for x in [1, 2] %}{% set n = n + x %}{% endfor %}{{ n }}", "0")] // loop scope does not leak
    [InlineData("{% set x %}in {{ 'block' }}{% endset %}{{ x }}", "in block")]
    [InlineData("{% macro f(a, b='B') %}{{ a }}{{ b }}{% endmacro %}{{ f('A') }}{{ f('a', b='b') }}", "ABab")]
    [InlineData("{{ [{'r': 'u'}, {'r': 'a'}, {'r': 'u'}] | selectattr('r', 'equalto', 'u') | list | length }}", "2")]
    [InlineData("{{ ['a', 'b', 'c'] | reject('equalto', 'b') | join }}", "ac")]
    [InlineData("{{ [{'n': 1}, {'n': 2}] | map(attribute='n') | list }}", "[1, 2]")]
    [InlineData("{{ x is defined }} {{ x | default('d') }} {{ none is none }} {{ 'a' is string }} {{ {} is mapping }}", "False d True True True")]
    [InlineData("{{ 'b' in 'abc' }} {{ 2 not in [1] }} {{ 'k' in {'k': 1} }}", "True True True")]
    [InlineData("{{ 1 if false }}|{{ 'y' if 1 else 'n' }}", "|y")]
    [InlineData("{{ [3, 1, 2] | sort | first }} {{ [3, 1, 2] | last }} {{ 'ab' ~ 1 }}", "1 2 ab1")]
    [InlineData("{{ 3 | string + 'x' }} {{ '42' | int + 1 }}", "3x 43")]
    public void Expressions_and_statements_match_jinja2(string template, string expected) => R(template).ShouldBe(expected);

    [Fact]
    public void Raise_exception_is_a_template_error_with_the_message_and_line()
    {
        var e = Should.Throw<TemplateError>(() => R("a\nb\n{{ raise_exception('no system role') }}"));
        e.Problem.ShouldBe("no system role");
        e.Line.ShouldBe(3);
        e.RaisedByTemplate.ShouldBeTrue();
        e.Message.ShouldBe("t.jinja:3: no system role");
    }

    [Theory]
    [InlineData("{% if x %}", "t.jinja:1: unexpected end of template: expected '{% elif %}' or '{% else %}' or '{% endif %}'")]
    [InlineData("\n{{ 1 + }}", "t.jinja:2: expected an expression, found '}}'")]
    [InlineData("{% frobnicate %}", "t.jinja:1: unknown statement 'frobnicate'")]
    [InlineData("{{ 'a' | nosuchfilter }}", "t.jinja:1: unknown filter 'nosuchfilter'")]
    [InlineData("\n\n{{ x.y.z }}", "t.jinja:3: 'x' is undefined (reading its attribute 'y')")]
    [InlineData("{{ 'a' + 1 }}", "t.jinja:1: unsupported operand types for +: 'str' and 'int'")]
    public void Errors_name_the_line_and_the_problem(string template, string message) =>
        Should.Throw<TemplateError>(() => R(template)).Message.ShouldBe(message);

    [Fact]
    public void Strftime_now_uses_the_templates_clock()
    {
        var t = ChatTemplate.FromText("{{ strftime_now('%d %b %Y') }}").WithClock(() => new DateTime(2024, 7, 26));
        t.Render(JsonDocument.Parse("[]").RootElement).ShouldBe("26 Jul 2024");
    }
}
