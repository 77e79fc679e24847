using ToolSharp.Core.Formats;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;
using static ToolSharp.Core.Tests.Formats.FormatTestTools;

namespace ToolSharp.Core.Tests.Formats;

public class PythonicFormatTests
{
    private static readonly ToolCallFormat F = ToolCallFormats.Pythonic;

    [Fact]
    public void Formats_python_calls()
    {
        F.Format([Call("math.factorial", """{"number":5}"""), Call("f", """{"s":"it's \"q\"\n","b":true,"n":null,"l":[1,2.5],"d":{"k":"v"}}""")])
            .ShouldBe("[math.factorial(number=5), f(s=\"it's \\\"q\\\"\\n\", b=True, n=None, l=[1, 2.5], d={\"k\": \"v\"})]");
    }

    [Fact]
    public void Parses_every_literal_kind()
    {
        var r = F.Parse("[mod.f(a=1, b=-2.5, c='x\\'y', d=\"\"\"tri\nple\"\"\", e=r'\\d+', f=(1, 2), g=[True, False, None], h={'k': 0x1F, 2: .5}, i='con' \"cat\", j=1_000, k=1e3, l=5., m=(7), n={1, 2}, o=u'\\u00e9\\N')]");
        r.Errors.ShouldBeEmpty();
        var call = r.Calls.Single();
        call.Name.ShouldBe("mod.f");
        JsonValues.ToCompact(call.Arguments).ShouldBe(
            """{"a":1,"b":-2.5,"c":"x'y","d":"tri\nple","e":"\\d+","f":[1,2],"g":[true,false,null],"h":{"k":31,"2":0.5},"i":"concat","j":1000,"k":1e3,"l":5.0,"m":7,"n":[1,2],"o":"é\\N"}""");
    }

    [Fact]
    public void Floats_stay_floats_and_ints_stay_ints()
    {
        var args = F.Parse("[f(x=2.0, y=2)]").Calls[0].Arguments;
        JsonValues.IsInteger(args.GetProperty("x")).ShouldBeFalse();
        JsonValues.IsInteger(args.GetProperty("y")).ShouldBeTrue();
    }

    [Fact]
    public void Accepts_a_bare_call_and_a_code_fence()
    {
        ShouldHaveCalls(F.Parse("get_weather(city='Oslo')", OfferedTools), Call("get_weather", """{"city":"Oslo"}"""));
        ShouldHaveCalls(F.Parse("```python\n[get_weather(city='Oslo')]\n```", OfferedTools), Call("get_weather", """{"city":"Oslo"}"""));
    }

    [Fact]
    public void Prose_is_content()
    {
        var r = F.Parse("None of the functions can compute this.");
        r.Calls.ShouldBeEmpty();
        r.Errors.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("[get_weather(city='Oslo')", ToolCallErrorKind.MalformedJson)]
    [InlineData("[get_weather(city='Oslo)]", ToolCallErrorKind.MalformedJson)]
    [InlineData("[get_weather('Oslo')]", ToolCallErrorKind.InvalidStructure)]
    [InlineData("[get_weather(city=oslo)]", ToolCallErrorKind.InvalidStructure)]
    [InlineData("[get_weather(city='Oslo', city='Rome')]", ToolCallErrorKind.InvalidStructure)]
    [InlineData("[get_weather(city=f'Oslo')]", ToolCallErrorKind.InvalidStructure)]
    [InlineData("[get_weather(city=1j)]", ToolCallErrorKind.MalformedJson)]
    [InlineData("[get_weather(city='Oslo', days='3')]", ToolCallErrorKind.WrongType)]
    [InlineData("[get_whether(city='Oslo')]", ToolCallErrorKind.UnknownFunction)]
    public void Malformed_output_yields_one_precise_error(string text, ToolCallErrorKind kind) =>
        SingleErrorKind(F.Parse(text, OfferedTools)).ShouldBe(kind);

    [Fact]
    public void Errors_point_at_the_offending_offset()
    {
        var e = F.Parse("[get_weather(city=oslo)]").Errors.Single();
        e.Position.ShouldBe(18);
        e.Message.ShouldContain("'oslo' is not a literal");
    }
}
