using ToolSharp.Tensors.Memory;

namespace ToolSharp.Tensors.Tests;

public class TensorPoolTests
{
    [Theory]
    [InlineData(1, 64)]
    [InlineData(64, 64)]
    [InlineData(65, 80)]
    [InlineData(1024, 1024)]
    [InlineData(1025, 1280)]
    [InlineData(1537, 1792)]
    [InlineData(1793, 2048)]
    public void Size_classes_round_up_with_at_most_a_quarter_of_slack(int length, int expected) =>
        TensorPool.SizeClass(length).ShouldBe(expected);

    [Fact]
    public void Size_classes_cover_the_request_and_waste_little()
    {
        var rng = new Core.Randomness.SeededRandom(3);
        for (var i = 0; i < 10_000; i++)
        {
            var n = 1 + rng.Next(50_000_000);
            var size = TensorPool.SizeClass(n);
            size.ShouldBeGreaterThanOrEqualTo(n);
            ((double)size / Math.Max(n, 64)).ShouldBeLessThanOrEqualTo(1.25 + 1e-9);
        }
    }

    [Fact]
    public void Steps_with_different_lengths_reuse_buffers_and_read_zeros()
    {
        float[] first;
        using (new TensorScope())
        {
            var t = Tensor.Temporary([1000], zeroed: true);
            t.Span.Fill(7f);
            first = t.Data;
        }
        using (new TensorScope())
        {
            var t = Tensor.Temporary([990], zeroed: true);
            t.Data.ShouldBeSameAs(first);
            t.Span.ToArray().ShouldAllBe(v => v == 0f);
        }
    }
}
