using ToolSharp.Core.Diagnostics;
using ToolSharp.Inference.Rollouts;
using ToolSharp.Models;
using ToolSharp.Models.Configuration;
using ToolSharp.Tensors.Optim;
using ToolSharp.Text.Builtin;
using ToolSharp.Training.Advantages;
using ToolSharp.Training.Grpo;
using ToolSharp.Training.Losses;
using ToolSharp.Training.Samples;
using ToolSharp.Training.Selection;
using ToolSharp.Training.Tests.Support;

namespace ToolSharp.Training.Tests.Algorithms;

/// <summary>Samples of re-rendered rollouts (several segments): the per-rollout stages see each rollout once, the
/// per-token stages and the update see every segment's sampled tokens.</summary>
[Collection("EngineThreads")]
public class SegmentTests
{
    private static readonly double[] Rewards = [1, 0, 0, 1, 0, 1];

    /// <summary>The same rewards as rollouts of 1, 3, 2, 1, 4 and 2 segments, and as one segment each.</summary>
    private static (List<Sample> Segmented, List<Sample> Whole) Groups()
    {
        int[][] shapes = [[6], [5, 4, 6], [3, 7], [8], [4, 4, 4, 4], [6, 3]];
        var segmented = Rewards.Select((r, i) => Fake.Segmented(r, i, 0, shapes[i])).ToList();
        var whole = Rewards.Select((r, i) => Fake.Sample(reward: r, index: i, length: shapes[i].Sum())).ToList();
        return (segmented, whole);
    }

    [Fact]
    public void Advantages_and_selection_are_per_rollout_whatever_the_segment_count()
    {
        var (segmented, whole) = Groups();
        segmented.Select(s => s.Sequences.Count).ShouldBe([1, 3, 2, 1, 4, 2]);
        var scored = GroupAdvantages.Assign(AdvantageEstimator.Grpo, segmented);
        scored.Select(s => s.Advantage).ShouldBe(GroupAdvantages.Compute(AdvantageEstimator.Grpo, Rewards), "one advantage per rollout over the group of 6");
        scored.Select(s => s.Advantage).ShouldBe(GroupAdvantages.Assign(AdvantageEstimator.Grpo, whole).Select(s => s.Advantage));
        SampleSelection.IsInformative(segmented).ShouldBe(SampleSelection.IsInformative(whole));

        var (selected, _) = SampleSelection.Select([scored], new SelectionOptions(UpdateRollouts: 4));
        var (selectedWhole, _) = SampleSelection.Select([GroupAdvantages.Assign(AdvantageEstimator.Grpo, whole)], new SelectionOptions(UpdateRollouts: 4));
        selected.Count.ShouldBe(4, "m = 4 rollouts, not segments");
        selected.Select(s => s.GroupIndex).ShouldBe(selectedWhole.Select(s => s.GroupIndex));
    }

    [Fact]
    public void Shaping_and_aggregation_weights_cover_every_segments_generated_tokens()
    {
        var sample = Fake.Segmented(1, 0, 0.5, 5, 4, 6);
        var shaped = TokenShaping.Shape([sample], arpoHardAttribution: false, tao: null).Single();
        shaped.TokenAdvantages.ShouldBe(sample.LossMask.Select(m => m > 0 ? 0.5f : 0f).ToArray());
        shaped.TokenAdvantages!.Count(a => a != 0).ShouldBe(3 + 2 + 4, "each segment's tokens after its two-token prompt");

        var other = Fake.Sample(length: 6);
        var tokenMean = TokenWeights.Compute(LossAggregation.TokenMean, [sample.LossMask, other.LossMask]);
        tokenMean[0].Sum().ShouldBe(9f / 13f, 1e-6f, "token-mean over all sampled tokens of the batch, segments included");
        var sequenceMean = TokenWeights.Compute(LossAggregation.SequenceMeanTokenMean, [sample.LossMask, other.LossMask]);
        sequenceMean[0].Sum().ShouldBe(0.5f, 1e-6f, "a rollout of three segments counts once");
    }

    private static (Transformer Model, PolicyUpdater Updater) Policy(LossAggregation aggregation)
    {
        var model = Transformer.Create(ModelPresets.Tiny(BuiltinTokenizer.Size) with { HiddenSize = 32, NumLayers = 1, NumHeads = 1, NumKvHeads = 1, HeadDim = 32, IntermediateSize = 32 }, 4);
        return (model, new PolicyUpdater(model, new AdamW(model.Parameters, new AdamWOptions(1e-2f)), new UpdateOptions(Aggregation: aggregation)));
    }

    /// <summary>Each segment of <paramref name="sample"/> as a sample of its own, with the same advantages.</summary>
    private static List<Sample> Split(Sample sample) => sample.Sequences.Select(seg => sample with
    {
        Tokens = seg.Slice(sample.Tokens),
        LossMask = seg.Slice(sample.LossMask),
        OldLogProbs = seg.Slice(sample.OldLogProbs),
        Entropies = seg.Slice(sample.Entropies),
        PostTool = seg.Slice(sample.PostTool),
        TokenAdvantages = sample.TokenAdvantages is null ? null : seg.Slice(sample.TokenAdvantages),
        Segments = null,
    }).ToList();

    [Fact]
    public void The_update_scores_each_segment_on_its_own_tokens()
    {
        // Under token-mean a rollout of two segments weighs its tokens exactly as two rollouts holding one segment each,
        // so, scored segment by segment, both take the same step; scored as one sequence they would not.
        var sample = TokenShaping.Shape([Fake.Segmented(1, 0, 0.8, 7, 9)], false, null).Single();
        var (segmentedModel, segmented) = Policy(LossAggregation.TokenMean);
        var (splitModel, split) = Policy(LossAggregation.TokenMean);
        var (wholeModel, whole) = Policy(LossAggregation.TokenMean);
        var a = segmented.Update([sample], 1e-2f, new PhaseTimer());
        var b = split.Update(Split(sample), 1e-2f, new PhaseTimer());
        whole.Update([sample with { Segments = null }], 1e-2f, new PhaseTimer());

        a.Tokens.ShouldBe(b.Tokens);
        a.Loss.ShouldBe(b.Loss, 1e-12);
        var afterSegmented = segmentedModel.Parameters.SelectMany(p => p.ToArray()).ToArray();
        afterSegmented.ShouldBe(splitModel.Parameters.SelectMany(p => p.ToArray()).ToArray());
        afterSegmented.ShouldNotBe(wholeModel.Parameters.SelectMany(p => p.ToArray()).ToArray(), "the second segment's context is its own prompt, not the first segment");
    }

    [Fact]
    public void Recomputed_log_probs_of_a_segmented_sample_are_each_segments_own()
    {
        var sample = Fake.Segmented(1, 0, 0, 7, 9);
        var (model, updater) = Policy(LossAggregation.TokenMean);
        var recomputed = updater.LogProbs(model, [sample]).Single();
        var bySegment = updater.LogProbs(model, Split(sample));
        recomputed.ShouldBe([.. bySegment[0], .. bySegment[1]]);
        recomputed.Where((_, t) => sample.LossMask[t] > 0).ShouldAllBe(l => l < 0);
        recomputed.Where((_, t) => sample.LossMask[t] == 0).ShouldAllBe(l => l == 0);
    }
}
