using ToolSharp.Core.Errors;
using ToolSharp.Core.Randomness;
using ToolSharp.Models.Training;
using ToolSharp.Training.Pipeline;
using ToolSharp.Inference.Rendering;

namespace ToolSharp.Training.Tests.Pipeline;

public class CopyDrillsTests
{
    private static readonly BuiltinRolloutRenderer Renderer = BuiltinRolloutRenderer.Instance;

    private static string Trained(SftExample e) =>
        Renderer.Decode(e.Tokens.Where((_, i) => e.LossMask[i] > 0).ToArray());

    private static string Untrained(SftExample e) =>
        Renderer.Decode(e.Tokens.Where((_, i) => e.LossMask[i] == 0).ToArray());

    [Fact]
    public void A_drill_trains_only_on_the_copied_number()
    {
        var drills = new CopyDrills(new CopyDrillOptions(MinDigits: 3, MaxDigits: 4), Renderer, 2048, seed: 1);
        var rng = new SeededRandom(5);
        for (var i = 0; i < 50; i++)
        {
            var drill = Renderer.Demonstration(drills.Conversation(rng));
            var answer = Trained(drill);
            answer.ShouldEndWith("<|end|>");
            var number = answer[..^"<|end|>".Length];
            number.Length.ShouldBeInRange(3, 4);
            number.ShouldAllBe(c => char.IsAsciiDigit(c));
            number[0].ShouldNotBe('0');
            Untrained(drill).ShouldContain($"Repeat {number}.");
        }
    }

    [Fact]
    public void Drills_fill_their_share_of_the_batch_in_the_first_steps_only()
    {
        var drills = new CopyDrills(new CopyDrillOptions(Fraction: 0.25, Steps: 10), Renderer, 2048, seed: 1);
        foreach (var step in new long[] { 0, 3, 9 })
        {
            var tokens = drills.ForStep(step).Sum(d => d.Length);
            tokens.ShouldBeLessThanOrEqualTo(512);
            tokens.ShouldBeGreaterThan(512 - 40, "one more drill would not fit");
        }
        drills.ForStep(10).ShouldBeEmpty();
        drills.ForStep(400).ShouldBeEmpty();
    }

    [Fact]
    public void Drills_are_a_function_of_seed_and_step()
    {
        var a = new CopyDrills(new CopyDrillOptions(), Renderer, 2048, seed: 1);
        var b = new CopyDrills(new CopyDrillOptions(), Renderer, 2048, seed: 1);
        var other = new CopyDrills(new CopyDrillOptions(), Renderer, 2048, seed: 2);
        string Text(CopyDrills d, long step) => string.Join("|", d.ForStep(step).Select(Trained));
        Text(a, 7).ShouldBe(Text(b, 7));
        Text(a, 7).ShouldNotBe(Text(a, 8));
        Text(a, 7).ShouldNotBe(Text(other, 7));
    }

    [Theory]
    [InlineData(0.0, 2, 5)]
    [InlineData(1.0, 2, 5)]
    [InlineData(0.3, 0, 5)]
    [InlineData(0.3, 4, 3)]
    public void Bad_options_name_the_setting(double fraction, int min, int max)
    {
        Should.Throw<ToolSharpException>(() => new CopyDrills(new CopyDrillOptions(fraction, 10, min, max), Renderer, 2048, seed: 1))
            .Message.ShouldContain("warmup.copy_drills");
    }
}
