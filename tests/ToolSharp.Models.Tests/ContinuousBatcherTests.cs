using ToolSharp.Core.Randomness;
using ToolSharp.Models.Generation;

namespace ToolSharp.Models.Tests;

/// <summary>The continuous batcher against the plain session: same tokens for the same seeds whatever joins when.</summary>
/// <remarks>
/// Bit-identical logits need every op to compute a row the same whatever the number of rows. The GEMM does not (a row
/// alone, a row among 2–8 and a row among 9 or more take three different summation orders), so where sequences share
/// steps these tests require the same tokens and log-probs within 1e-4; run alone (one slot) they require bit equality.
/// </remarks>
public class ContinuousBatcherTests
{
    private static readonly Transformer Model = TestModels.Randomised(TestModels.Micro(), 21);

    private static readonly int[][] Prompts = Enumerable.Range(0, 8)
        .Select(i => Enumerable.Range(0, 3 + (i * 5) % 11).Select(j => (i * 7 + j * 3) % 40).ToArray()).ToArray();

    private static readonly SamplingOptions[] Decodings = [SamplingOptions.Greedy, new(1f), new(0.8f, TopK: 10, TopP: 0.9f)];

    private static GenerationRequest Request(SamplingOptions sampling, int maxNew = 12, int? stop = null) =>
        new(new GenerationLimits(maxNew, stop is { } s ? new HashSet<int> { s } : null), sampling);

    /// <summary>What the plain session generates for one prompt alone.</summary>
    private static GeneratedSegment Alone(int[] prompt, ulong seed, SamplingOptions sampling, int maxNew = 12, int? stop = null)
    {
        var session = new GenerationSession(Model, sampling);
        var seq = session.Start(prompt, seed);
        return session.Generate([seq], Request(sampling, maxNew, stop).Limits).Single();
    }

    /// <summary>Steps the batcher by hand until every task has completed.</summary>
    private static void RunUntil(ContinuousBatcher batcher, params IEnumerable<Task> tasks)
    {
        var list = tasks.ToList();
        while (!list.All(t => t.IsCompleted)) batcher.Step().ShouldBeTrue("the batcher has nothing to do but calls are unfinished");
    }

    [Fact]
    public async Task With_one_slot_it_computes_exactly_what_the_session_computes()
    {
        foreach (var sampling in Decodings)
        {
            using var batcher = new ContinuousBatcher(Model, new BatcherOptions(MaxBatch: 1, Autostart: false));
            var tasks = Prompts.Select((p, i) => batcher.GenerateAsync(batcher.Start(p, (ulong)i + 5), Request(sampling))).ToList();
            RunUntil(batcher, tasks);
            for (var i = 0; i < Prompts.Length; i++)
            {
                var expected = Alone(Prompts[i], (ulong)i + 5, sampling);
                (await tasks[i]).Tokens.ShouldBe(expected.Tokens);
                (await tasks[i]).LogProbs.ShouldBe(expected.LogProbs); // bit for bit
                (await tasks[i]).Entropies.ShouldBe(expected.Entropies);
                (await tasks[i]).StopReason.ShouldBe(expected.StopReason);
            }
            batcher.Stats.MeanBatch.ShouldBe(1);
        }
    }

    [Fact]
    public async Task Sequences_get_the_sessions_tokens_whatever_the_arrival_order()
    {
        foreach (var sampling in Decodings)
            for (var schedule = 0; schedule < 3; schedule++)
            {
                var rng = new SeededRandom((ulong)schedule + 100);
                var order = Enumerable.Range(0, Prompts.Length).OrderBy(_ => rng.NextUInt64()).ToArray();
                using var batcher = new ContinuousBatcher(Model, new BatcherOptions(MaxBatch: 4, Autostart: false));
                var tasks = new Task<GeneratedSegment>[Prompts.Length];
                foreach (var i in order)
                {
                    // Join at a random step: some prompts prefill alongside others' decoding, some wait for a slot.
                    tasks[i] = batcher.GenerateAsync(batcher.Start(Prompts[i], (ulong)i + 5), Request(sampling, maxNew: 6 + i));
                    for (var s = (int)(rng.NextUInt64() % 4); s > 0; s--) batcher.Step();
                }
                RunUntil(batcher, tasks);
                batcher.Stats.MeanBatch.ShouldBeGreaterThan(1.5, "sequences should have shared steps");
                for (var i = 0; i < Prompts.Length; i++)
                {
                    var expected = Alone(Prompts[i], (ulong)i + 5, sampling, maxNew: 6 + i);
                    (await tasks[i]).Tokens.ShouldBe(expected.Tokens, $"prompt {i}, schedule {schedule}, {sampling}");
                    for (var t = 0; t < expected.LogProbs.Length; t++) (await tasks[i]).LogProbs[t].ShouldBe(expected.LogProbs[t], 1e-4f);
                }
            }
    }

    [Fact]
    public async Task Chunked_prefill_gives_the_same_tokens()
    {
        using var batcher = new ContinuousBatcher(Model, new BatcherOptions(MaxBatch: 3, PrefillChunk: 2, Autostart: false));
        var tasks = Prompts.Select((p, i) => batcher.GenerateAsync(batcher.Start(p, (ulong)i), Request(new SamplingOptions(1f)))).ToList();
        RunUntil(batcher, tasks);
        for (var i = 0; i < Prompts.Length; i++) (await tasks[i]).Tokens.ShouldBe(Alone(Prompts[i], (ulong)i, new SamplingOptions(1f)).Tokens);
        batcher.Stats.TokensFed.ShouldBe(Prompts.Sum(p => p.Length) + (await Task.WhenAll(tasks)).Sum(t => t.Tokens.Length - 1));
    }

    [Fact]
    public async Task A_sequence_continues_after_appended_tokens_with_its_cache_intact()
    {
        var sampling = new SamplingOptions(1f);
        var session = new GenerationSession(Model, sampling);
        var a = session.Start(Prompts[3], 7);
        var first = session.Generate([a], Request(sampling, 5).Limits).Single();
        session.Append(a, [1, 2, 3]);
        var second = session.Generate([a], Request(sampling, 5).Limits).Single();

        using var batcher = new ContinuousBatcher(Model, new BatcherOptions(MaxBatch: 2, Autostart: false));
        var other = batcher.GenerateAsync(batcher.Start(Prompts[5], 1), Request(sampling, 30));
        var b = batcher.Start(Prompts[3], 7);
        var turn = batcher.GenerateAsync(b, Request(sampling, 5));
        RunUntil(batcher, turn);
        (await turn).Tokens.ShouldBe(first.Tokens);
        batcher.Append(b, [1, 2, 3]);
        turn = batcher.GenerateAsync(b, Request(sampling, 5));
        RunUntil(batcher, turn);
        (await turn).Tokens.ShouldBe(second.Tokens);
        batcher.Tokens(b).ShouldBe(session.Tokens(a));
        RunUntil(batcher, other);
    }

    [Fact]
    public async Task Forks_of_a_prefilled_prompt_share_its_prefill()
    {
        using var batcher = new ContinuousBatcher(Model, new BatcherOptions(MaxBatch: 4, Autostart: false));
        var root = batcher.Start(Prompts[7], 0);
        var prefill = batcher.PrefillAsync(root);
        RunUntil(batcher, prefill);
        batcher.Stats.TokensFed.ShouldBe(Prompts[7].Length - 1);
        var forks = batcher.Fork(root, [11, 12, 13]);
        batcher.Release(root);
        var tasks = forks.Select(f => batcher.GenerateAsync(f, Request(new SamplingOptions(1f), 4))).ToList();
        RunUntil(batcher, tasks);
        // Each fork feeds only the prompt's last token and its own samples.
        batcher.Stats.TokensFed.ShouldBe(Prompts[7].Length - 1 + (await Task.WhenAll(tasks)).Sum(t => t.Tokens.Length));

        var session = new GenerationSession(Model, new SamplingOptions(1f));
        var sroot = session.Start(Prompts[7], 0);
        var sforks = session.Fork(sroot, [11, 12, 13]);
        var expected = session.Generate(sforks, Request(new SamplingOptions(1f), 4).Limits);
        for (var i = 0; i < 3; i++) (await tasks[i]).Tokens.ShouldBe(expected[i].Tokens);
    }

    [Fact]
    public async Task Cancelling_a_running_call_frees_its_slot_for_the_next()
    {
        using var batcher = new ContinuousBatcher(Model, new BatcherOptions(MaxBatch: 1, Autostart: false));
        using var cts = new CancellationTokenSource();
        var seqA = batcher.Start(Prompts[0], 1);
        var a = batcher.GenerateAsync(seqA, Request(SamplingOptions.Greedy, 10_000), cts.Token);
        var b = batcher.GenerateAsync(batcher.Start(Prompts[1], 2), Request(SamplingOptions.Greedy));
        for (var i = 0; i < 5; i++) batcher.Step();
        batcher.Load.ShouldBe((1, 1));
        b.IsCompleted.ShouldBeFalse();
        cts.Cancel();
        RunUntil(batcher, b);
        a.IsCanceled.ShouldBeTrue();
        (await b).Tokens.ShouldBe(Alone(Prompts[1], 2, SamplingOptions.Greedy).Tokens);
        batcher.Stats.Cancelled.ShouldBe(1);
        // The cancelled sequence is idle again, its cache consistent: it can continue.
        batcher.Tokens(seqA).Count.ShouldBe(Prompts[0].Length + 5);
        var more = batcher.GenerateAsync(seqA, Request(SamplingOptions.Greedy, 3));
        RunUntil(batcher, more);
        (await more).Tokens.Length.ShouldBe(3);
    }

    [Fact]
    public async Task Cancelling_a_waiting_call_removes_it_at_once()
    {
        using var batcher = new ContinuousBatcher(Model, new BatcherOptions(MaxBatch: 1, Autostart: false));
        using var cts = new CancellationTokenSource();
        _ = batcher.GenerateAsync(batcher.Start(Prompts[0], 1), Request(SamplingOptions.Greedy, 100));
        var waiting = batcher.GenerateAsync(batcher.Start(Prompts[1], 1), Request(SamplingOptions.Greedy), cts.Token);
        batcher.Load.ShouldBe((0, 2));
        cts.Cancel();
        waiting.IsCanceled.ShouldBeTrue();
        batcher.Load.ShouldBe((0, 1));
    }

    [Fact]
    public async Task A_full_queue_refuses_new_calls()
    {
        using var batcher = new ContinuousBatcher(Model, new BatcherOptions(MaxBatch: 2, MaxQueue: 1, Autostart: false));
        var calls = Enumerable.Range(0, 3).Select(i => batcher.GenerateAsync(batcher.Start(Prompts[i], 1), Request(SamplingOptions.Greedy, 4))).ToList();
        var refused = Should.Throw<GenerationQueueFullException>(() => batcher.GenerateAsync(batcher.Start(Prompts[3], 1), Request(SamplingOptions.Greedy)));
        refused.Message.ShouldContain("queue full");
        batcher.Stats.Refused.ShouldBe(1);
        RunUntil(batcher, calls);
        // Room again once they finished.
        var later = batcher.GenerateAsync(batcher.Start(Prompts[3], 1), Request(SamplingOptions.Greedy, 2));
        RunUntil(batcher, later);
        (await later).Tokens.Length.ShouldBe(2);
    }

    [Fact]
    public async Task A_stop_condition_and_stop_tokens_end_a_call()
    {
        using var batcher = new ContinuousBatcher(Model, new BatcherOptions(Autostart: false));
        var free = Alone(Prompts[2], 3, SamplingOptions.Greedy, 12);
        var byCondition = batcher.GenerateAsync(batcher.Start(Prompts[2], 3), Request(SamplingOptions.Greedy, 12) with { StopWhen = t => t.Count == 3 });
        var byToken = batcher.GenerateAsync(batcher.Start(Prompts[2], 3), Request(SamplingOptions.Greedy, 12, stop: free.Tokens[4]));
        RunUntil(batcher, byCondition, byToken);
        (await byCondition).StopReason.ShouldBe(StopReason.Condition);
        (await byCondition).Tokens.ShouldBe(free.Tokens[..3]);
        (await byToken).StopReason.ShouldBe(StopReason.StopToken);
        (await byToken).Tokens.ShouldBe(free.Tokens[..(Array.IndexOf(free.Tokens, free.Tokens[4]) + 1)]);
    }

    [Fact]
    public async Task Streamed_tokens_carry_their_top_alternatives()
    {
        using var batcher = new ContinuousBatcher(Model, new BatcherOptions(Autostart: false));
        var streamed = new List<GeneratedToken>();
        var call = batcher.GenerateAsync(batcher.Start(Prompts[4], 3), Request(SamplingOptions.Greedy, 6) with { TopLogProbs = 3, OnToken = streamed.Add });
        RunUntil(batcher, call);
        streamed.Select(t => t.Token).ShouldBe((await call).Tokens);
        foreach (var (t, i) in streamed.Select((t, i) => (t, i)))
        {
            t.Alternatives.Count.ShouldBe(3);
            t.Alternatives[0].Token.ShouldBe(t.Token); // greedy: the most likely token
            t.Alternatives[0].LogProb.ShouldBe((await call).LogProbs[i]);
            t.Alternatives[1].LogProb.ShouldBeLessThanOrEqualTo(t.Alternatives[0].LogProb);
        }
    }

    [Fact]
    public async Task Its_own_thread_serves_concurrent_callers()
    {
        using var batcher = new ContinuousBatcher(Model, new BatcherOptions(MaxBatch: 3));
        var sampling = new SamplingOptions(1f);
        var results = await Task.WhenAll(Prompts.Select((p, i) => Task.Run(() => batcher.GenerateAsync(batcher.Start(p, (ulong)i), Request(sampling)))));
        for (var i = 0; i < Prompts.Length; i++) results[i].Tokens.ShouldBe(Alone(Prompts[i], (ulong)i, sampling).Tokens);
        batcher.Stats.Completed.ShouldBe(Prompts.Length);
    }

    [Fact]
    public async Task Disposing_fails_calls_still_in_flight()
    {
        var batcher = new ContinuousBatcher(Model, new BatcherOptions(MaxBatch: 1, Autostart: false));
        var call = batcher.GenerateAsync(batcher.Start(Prompts[0], 1), Request(SamplingOptions.Greedy));
        batcher.Dispose();
        await Should.ThrowAsync<ObjectDisposedException>(() => call);
    }
}
