using FsCheck;
using FsCheck.Fluent;
using ToolSharp.Environments.Tools;
using ToolSharp.Testing;

namespace ToolSharp.Environments.Tests.Tools;

public class ToolOutputTests
{
    [Fact]
    public void Short_output_is_unchanged()
    {
        ToolOutput.Truncate("12345", 5, out var truncated).ShouldBe("12345");
        truncated.ShouldBeFalse();
    }

    [Fact]
    public void Long_output_is_cut_and_says_how_much_is_missing()
    {
        var text = new string('a', 100);
        var result = ToolOutput.Truncate(text, 40, out var truncated);
        truncated.ShouldBeTrue();
        result.Length.ShouldBeLessThanOrEqualTo(40);
        result.ShouldStartWith("aaaa");
        var kept = result.IndexOf('…');
        result.ShouldEndWith($"…[truncated {100 - kept} chars]");
    }

    [Fact]
    public void Never_splits_a_surrogate_pair()
    {
        var text = string.Concat(Enumerable.Repeat("😀", 50));
        var result = ToolOutput.Truncate(text, 41, out _);
        char.IsHighSurrogate(result[result.IndexOf('…') - 1]).ShouldBeFalse();
    }

    [Fact]
    public void Result_fits_the_limit_whenever_the_marker_does()
    {
        var gen = from length in Gen.Choose(0, 3000) from max in Gen.Choose(30, 2000) select (length, max);
        PropertyCheck.Run(Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var text = new string('x', t.length);
            var result = ToolOutput.Truncate(text, t.max, out var truncated);
            return result.Length <= t.max && truncated == (t.length > t.max) && (truncated || result == text);
        }));
    }
}
