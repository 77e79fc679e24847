using ToolSharp.Models.Configuration;
using ToolSharp.Models.Generation;
using ToolSharp.Tensors.Memory;

namespace ToolSharp.Models.Tests;

public class GenerationTests
{
    private static float[] LastLogits(Transformer model, int[] tokens)
    {
        using var scope = new TensorScope();
        var logits = model.Logits([tokens]);
        var v = model.Config.VocabSize;
        return logits.Span.Slice((tokens.Length - 1) * v, v).ToArray();
    }

    [Theory]
    [InlineData(Architecture.Llama)]
    [InlineData(Architecture.Qwen2)]
    [InlineData(Architecture.Qwen3)]
    public void Cached_decoding_matches_the_full_forward(Architecture arch)
    {
        var model = TestModels.Randomised(TestModels.Micro(arch, tied: arch != Architecture.Llama), 3);
        var session = new GenerationSession(model, SamplingOptions.Greedy);
        var prompt = new[] { 1, 5, 9, 2, 7 };
        var seq = session.Start(prompt, seed: 1);
        var segment = session.Generate([seq], new GenerationLimits(MaxNewTokens: 6)).Single();
        // Greedy tokens must be the argmax of the full (uncached) forward at every step.
        var tokens = prompt.ToList();
        foreach (var t in segment.Tokens)
        {
            var logits = LastLogits(model, [.. tokens]);
            Array.IndexOf(logits, logits.Max()).ShouldBe(t);
            tokens.Add(t);
        }
        session.Tokens(seq).ShouldBe(tokens);
    }

    [Fact]
    public void Log_probs_and_entropies_match_the_training_forward()
    {
        var model = TestModels.Randomised(TestModels.Micro(), 4);
        var session = new GenerationSession(model, new SamplingOptions(Temperature: 1f));
        var seq = session.Start([3, 4, 5], seed: 9);
        var seg = session.Generate([seq], new GenerationLimits(8)).Single();
        using var scope = new TensorScope();
        var all = session.Tokens(seq).ToArray();
        var scores = model.Score(Training.TokenBatch.ScoreAll([all]));
        for (var i = 0; i < seg.Tokens.Length; i++)
        {
            scores.LogProbs[0][3 + i].ShouldBe(seg.LogProbs[i], 1e-4f);
            scores.Entropies[0][3 + i].ShouldBe(seg.Entropies[i], 1e-4f);
        }
    }

    [Fact]
    public void Appended_tokens_continue_with_the_cache_intact()
    {
        var model = TestModels.Randomised(TestModels.Micro(), 5);
        var session = new GenerationSession(model, SamplingOptions.Greedy);
        var seq = session.Start([1, 2, 3], 1);
        session.Generate([seq], new GenerationLimits(3));
        session.Append(seq, [10, 11, 12, 13]);
        var next = session.Generate([seq], new GenerationLimits(1)).Single().Tokens[0];
        var all = session.Tokens(seq).ToArray();
        var logits = LastLogits(model, all[..^1]);
        Array.IndexOf(logits, logits.Max()).ShouldBe(next);
        session.CachedLength(seq).ShouldBe(all.Length - 1); // the last sampled token is pending
    }

    [Fact]
    public void Sequences_are_independent_of_their_batch_and_forks_share_the_prefix()
    {
        var model = TestModels.Randomised(TestModels.Micro(), 6);
        var limits = new GenerationLimits(10);
        var alone = new GenerationSession(model);
        var a = alone.Start([7, 8, 9], seed: 42);
        var expected = alone.Generate([a], limits).Single().Tokens;

        var shared = new GenerationSession(model);
        var root = shared.Start([7, 8, 9], seed: 0);
        var forks = shared.Fork(root, [41UL, 42UL, 43UL]);
        var results = shared.Generate(forks, limits);
        results[1].Tokens.ShouldBe(expected);
        shared.TokensProcessed.ShouldBeLessThan(3 * 3 + 3 * 10); // the prompt was prefilled once, not three times
    }

    [Fact]
    public void Stop_tokens_and_sequences_end_a_turn()
    {
        var model = TestModels.Randomised(TestModels.Micro(), 7);
        var session = new GenerationSession(model, SamplingOptions.Greedy);
        var seq = session.Start([1, 2], 1);
        var free = session.Generate([seq], new GenerationLimits(5)).Single();
        var again = new GenerationSession(model, SamplingOptions.Greedy);
        var s2 = again.Start([1, 2], 1);
        var stopped = again.Generate([s2], new GenerationLimits(5, StopTokens: new HashSet<int> { free.Tokens[2] })).Single();
        stopped.StopReason.ShouldBe(StopReason.StopToken);
        stopped.Tokens.Length.ShouldBe(Array.IndexOf(free.Tokens, free.Tokens[2]) + 1);
        var s3 = new GenerationSession(model, SamplingOptions.Greedy);
        var id3 = s3.Start([1, 2], 1);
        s3.Generate([id3], new GenerationLimits(5, StopSequences: [[free.Tokens[1], free.Tokens[2]]])).Single().StopReason.ShouldBe(StopReason.StopSequence);
    }

    [Fact]
    public void Sampling_is_reproducible_per_seed_and_respects_top_k()
    {
        var model = TestModels.Randomised(TestModels.Micro(), 8);
        int[] Run(ulong seed, SamplingOptions o)
        {
            var s = new GenerationSession(model, o);
            var id = s.Start([1, 2, 3], seed);
            return s.Generate([id], new GenerationLimits(12)).Single().Tokens;
        }
        var hot = new SamplingOptions(Temperature: 1.5f);
        Run(5, hot).ShouldBe(Run(5, hot));
        Run(5, hot).ShouldNotBe(Run(6, hot));
        var top1 = Run(5, new SamplingOptions(Temperature: 1.5f, TopK: 1));
        top1.ShouldBe(Run(9, SamplingOptions.Greedy));
    }
}
