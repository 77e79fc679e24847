using ToolSharp.Core.Messages;
using ToolSharp.Models;
using ToolSharp.Models.Training;
using ToolSharp.Tensors.Kernels;
using ToolSharp.Training.Metrics;
using ToolSharp.Inference.Rendering;
using ToolSharp.Training.Tests.Support;

namespace ToolSharp.Training.Tests.Pipeline;

public class CopyProbeTests
{
    private static readonly BuiltinRolloutRenderer Renderer = BuiltinRolloutRenderer.Instance;

    private static readonly IReadOnlySet<int> Digits = CopyProbe.DigitTokens(Renderer.VocabularySize, ids => Renderer.Decode(ids));

    private static SftExample Demo(string question, string answer) =>
        Renderer.Demonstration(new Conversation([Message.User(question), Message.Assistant(answer)], []));

    [Fact]
    public void Digit_tokens_of_the_builtin_tokenizer_are_the_ten_digit_bytes()
    {
        Digits.OrderBy(d => d).Select(d => Renderer.Decode([d])).ShouldBe(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    }

    [Fact]
    public void Only_digits_the_assistant_writes_are_probed()
    {
        // 5 digits in the question are context, not predictions; the answer writes 3 digits
        var probe = new CopyProbe([Demo("Repeat 47 and 931.", "931 ok"), Demo("No digits here.", "none")], Digits);
        probe.Count.ShouldBe(3);
        new CopyProbe([Demo("12345", "none")], Digits).Count.ShouldBe(0);
    }

    [Fact]
    public void A_model_that_has_learned_the_demonstrations_scores_high_and_a_fresh_one_low()
    {
        EngineThreads.Set(1);
        var demos = new[] { Demo("Repeat 4719.", "4719"), Demo("Repeat 8023.", "8023") };
        var probe = new CopyProbe(demos, Digits);
        probe.Count.ShouldBe(8);
        var model = Transformer.Create(WarmedMicroModel.Config, 3);
        probe.Measure(model).ShouldBeLessThan(0.5);
        new SftTrainer(model, demos, new SftOptions(Steps: 40, BatchTokens: 256, LearningRate: 1e-2f, WarmupSteps: 2, WeightDecay: 0f)).Run();
        probe.Measure(model).ShouldBe(1.0);
    }
}
