using FsCheck;
using FsCheck.Fluent;
using ToolSharp.Testing;
using ToolSharp.Inference.Rollouts;
using ToolSharp.Training.Advantages;
using ToolSharp.Training.Prompts;
using ToolSharp.Training.Selection;
using ToolSharp.Training.Tests.Support;

namespace ToolSharp.Training.Tests.Algorithms;

public class MaxVarianceDownsamplingTests
{
    [Fact]
    public void Picks_extremes_for_binary_rewards()
    {
        // 6 correct, 2 wrong, keep 4: the best is 2 correct + 2 wrong (variance 0.25)
        var rewards = new double[] { 1, 1, 0, 1, 1, 0, 1, 1 };
        var chosen = MaxVarianceDownsampling.Select(rewards, 4);
        chosen.Length.ShouldBe(4);
        chosen.Count(i => rewards[i] == 0).ShouldBe(2);
        MaxVarianceDownsampling.Variance(chosen.Select(i => rewards[i])).ShouldBe(0.25);
    }

    [Fact]
    public void Returns_everything_when_m_is_at_least_n() =>
        MaxVarianceDownsampling.Select([3, 1, 2], 5).ShouldBe([0, 1, 2]);

    [Fact]
    public void Is_optimal_against_brute_force_on_random_inputs()
    {
        var gen = from n in Gen.Choose(1, 10)
                  from m in Gen.Choose(1, n)
                  from values in Gen.ArrayOf(Gen.Choose(0, 6), n)
                  select (values.Select(v => v / 2.0).ToArray(), m);
        PropertyCheck.Run(Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var (rewards, m) = t;
            var chosen = MaxVarianceDownsampling.Select(rewards, m);
            var best = Subsets(rewards.Length, m).Max(s => MaxVarianceDownsampling.Variance(s.Select(i => rewards[i])));
            return chosen.Length == m && chosen.Distinct().Count() == m &&
                   Math.Abs(MaxVarianceDownsampling.Variance(chosen.Select(i => rewards[i])) - best) < 1e-9;
        }), maxTest: 500);
    }

    private static IEnumerable<int[]> Subsets(int n, int m)
    {
        for (var mask = 0; mask < 1 << n; mask++)
        {
            if (System.Numerics.BitOperations.PopCount((uint)mask) != m) continue;
            yield return Enumerable.Range(0, n).Where(i => (mask & (1 << i)) != 0).ToArray();
        }
    }
}

public class PromptFilterTests
{
    [Fact]
    public void Skips_after_k_solved_epochs_and_counts_skips()
    {
        var f = new PromptFilter(new PromptFilterOptions(SolvedStreakToSkip: 2));
        var rng = new ToolSharp.Core.Randomness.SeededRandom(1);
        f.ShouldTrain("p", rng).ShouldBeTrue();
        f.Record("p", 8, 8);
        f.ShouldTrain("p", rng).ShouldBeTrue();   // streak 1 < 2
        f.Record("p", 8, 8);
        f.ShouldTrain("p", rng).ShouldBeFalse();  // streak 2
        f.ShouldTrain("p", rng).ShouldBeFalse();
        f.SkippedPrompts.ShouldBe(2);
    }

    [Fact]
    public void A_prompt_that_fails_re_enters()
    {
        var f = new PromptFilter(new PromptFilterOptions(SolvedStreakToSkip: 2));
        f.Record("p", 8, 8);
        f.Record("p", 7, 8); // not all correct: streak resets
        f.Get("p")!.SolvedStreak.ShouldBe(0);
        f.ShouldTrain("p", new ToolSharp.Core.Randomness.SeededRandom(1)).ShouldBeTrue();
    }

    [Fact]
    public void Unsolved_skipping_is_off_by_default_and_retries_with_probability()
    {
        var off = new PromptFilter();
        off.Record("p", 0, 8);
        off.ShouldTrain("p", new ToolSharp.Core.Randomness.SeededRandom(1)).ShouldBeTrue();

        var on = new PromptFilter(new PromptFilterOptions(SkipUnsolved: true, UnsolvedRetryProbability: 0.25));
        on.Record("p", 0, 8);
        var rng = new ToolSharp.Core.Randomness.SeededRandom(42);
        var trained = Enumerable.Range(0, 4000).Count(_ => on.ShouldTrain("p", rng));
        (trained / 4000.0).ShouldBe(0.25, 0.03);
    }

    [Fact]
    public void Recheck_rolls_out_a_skipped_prompt_periodically()
    {
        var f = new PromptFilter(new PromptFilterOptions(RecheckEvery: 2));
        var rng = new ToolSharp.Core.Randomness.SeededRandom(1);
        f.Record("p", 4, 4);
        f.ShouldTrain("p", rng).ShouldBeFalse();
        f.ShouldTrain("p", rng).ShouldBeFalse();
        f.ShouldTrain("p", rng).ShouldBeTrue();
    }

    [Fact]
    public void State_round_trips()
    {
        var f = new PromptFilter();
        f.Record("a", 1, 1);
        f.ShouldTrain("a", new ToolSharp.Core.Randomness.SeededRandom(0));
        var g = new PromptFilter();
        g.Restore(f.Snapshot(), f.SkippedPrompts);
        g.Get("a").ShouldBe(f.Get("a"));
        g.SkippedPrompts.ShouldBe(1);
    }

    [Fact]
    public void A_group_is_informative_when_its_rewards_differ()
    {
        double[][] groups = [[1, 1], [0, 1], [0, 0], [0.5, 0.2]];
        groups.Select(g => SampleSelection.IsInformative(g.Select(r => Fake.Sample(reward: r)).ToList())).ShouldBe([false, true, false, true]);
    }
}

public class EntropyBranchingTests
{
    [Fact]
    public void Branch_probability_is_one_minus_tau_without_entropy_change_and_grows_with_it()
    {
        var rng = new ToolSharp.Core.Randomness.SeededRandom(3);
        double Rate(double delta) => Enumerable.Range(0, 20000).Count(_ => EntropyBranching.ShouldBranch(0.2 + delta, 0.2, 0.2, 0.5, rng)) / 20000.0;
        Rate(0).ShouldBe(0.5, 0.02);
        Rate(1).ShouldBe(0.7, 0.02);   // P(α + 0.2 > 0.5) = 0.7
        Rate(-1).ShouldBe(0.3, 0.02);
    }

    [Fact]
    public void Normalised_entropy_divides_by_log_vocabulary() =>
        EntropyBranching.NormalisedMeanEntropy([(float)Math.Log(4), 0f], 4).ShouldBe(0.5, 1e-6);

    [Fact]
    public void Hard_attribution_averages_over_trajectories_sharing_a_segment()
    {
        // segment 0 is the shared prefix of three trajectories; 1, 2, 3 are their own tails; 4 shared by the last two
        var a = ArpoAttribution.HardAttribution([[0, 1], [0, 4, 2], [0, 4, 3]], [1.0, -1.0, 0.5]);
        a[0].ShouldBe(0.5 / 3, 1e-12);
        a[4].ShouldBe(-0.25, 1e-12);
        a[1].ShouldBe(1.0);
    }
}
