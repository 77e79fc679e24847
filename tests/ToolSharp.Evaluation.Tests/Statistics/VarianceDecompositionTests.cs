using ToolSharp.Core.Randomness;
using ToolSharp.Evaluation.Statistics;

namespace ToolSharp.Evaluation.Tests.Statistics;

public class VarianceDecompositionTests
{
    [Fact]
    public void Additive_balanced_grid_splits_variance_by_effect_size()
    {
        // y = a + b with a = ±1 and b = ±2 on a balanced 2×2 grid: SS_A = 4·1², SS_B = 4·2², SS_total = 20.
        double[] y = [-3, 1, -1, 3];
        var factors = new Dictionary<string, IReadOnlyList<string>>
        {
            ["a"] = ["lo", "lo", "hi", "hi"],
            ["b"] = ["lo", "hi", "lo", "hi"],
        };
        var shares = VarianceDecomposition.Compute(y, factors, modelFactor: null).ToDictionary(s => s.Factor);
        shares["a"].MainEffect.ShouldBe(0.2, 1e-12);
        shares["b"].MainEffect.ShouldBe(0.8, 1e-12);
    }

    [Fact]
    public void Matches_a_hand_computed_two_way_anova_on_a_balanced_design()
    {
        // 2 models × 3 templates × 2 seeds, scores by (model, template): m1 a [1,1] b [0,1] c [0,0]; m2 a [1,0] b [1,1] c [1,0].
        // Grand mean 7/12. SS_total = Σy² − 12·ȳ² = 7 − 49/12 = 35/12.
        // SS_model = 6·[(3/6 − 7/12)² + (4/6 − 7/12)²] = 1/12.
        // Template means 3/4, 3/4, 1/4: SS_template = 4·[2·(2/12)² + (4/12)²] = 2/3.
        // Cell means 1, 1/2, 0, 1/2, 1, 1/2: SS_cells = 2·(25 + 1 + 49 + 1 + 25 + 1)/144 = 17/12, so
        // SS_model×template = 17/12 − 1/12 − 8/12 = 2/3 (and SS_error = 35/12 − 17/12 = 3/2).
        // Seed means 4/6, 3/6: SS_seed = 1/12; cells (m1,s1) 1/3, (m1,s2) 2/3, (m2,s1) 1, (m2,s2) 1/3:
        // SS_cells = 3·(9 + 1 + 25 + 9)/144 = 11/12, so SS_model×seed = 11/12 − 1/12 − 1/12 = 3/4.
        double[] y = [1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 1, 0];
        var factors = new Dictionary<string, IReadOnlyList<string>>
        {
            ["model"] = ["m1", "m1", "m1", "m1", "m1", "m1", "m2", "m2", "m2", "m2", "m2", "m2"],
            ["template"] = ["a", "a", "b", "b", "c", "c", "a", "a", "b", "b", "c", "c"],
            ["seed"] = ["1", "2", "1", "2", "1", "2", "1", "2", "1", "2", "1", "2"],
        };
        var shares = VarianceDecomposition.Compute(y, factors).ToDictionary(s => s.Factor);
        shares["model"].MainEffect.ShouldBe((1.0 / 12) / (35.0 / 12), 1e-12);
        double.IsNaN(shares["model"].ModelInteraction).ShouldBeTrue();
        shares["template"].MainEffect.ShouldBe(8.0 / 35, 1e-12);
        shares["template"].ModelInteraction.ShouldBe(8.0 / 35, 1e-12);
        shares["seed"].MainEffect.ShouldBe(1.0 / 35, 1e-12);
        shares["seed"].ModelInteraction.ShouldBe(9.0 / 35, 1e-12);
    }

    [Fact]
    public void On_balanced_designs_shares_are_the_classical_anova_partition()
    {
        // Independent ANOVA from cell means on random balanced A × B designs with r replicates:
        // SS_A = b·r·Σ(ȳ_i.. − ȳ)², SS_B = a·r·Σ(ȳ_.j. − ȳ)², SS_AB = r·ΣΣ(ȳ_ij. − ȳ_i.. − ȳ_.j. + ȳ)², SS_E = Σ(y − ȳ_ij.)²,
        // and SS_A + SS_B + SS_AB + SS_E = SS_T.
        var rng = new SeededRandom(17);
        for (var trial = 0; trial < 200; trial++)
        {
            int a = 2 + rng.Next(3), b = 2 + rng.Next(4), r = 1 + rng.Next(3);
            var y = new double[a, b, r];
            var scores = new List<double>();
            var model = new List<string>();
            var factor = new List<string>();
            for (var i = 0; i < a; i++)
            for (var j = 0; j < b; j++)
            for (var k = 0; k < r; k++)
            {
                y[i, j, k] = rng.Next(3) == 0 ? rng.NextDouble() : rng.Next(2);
                scores.Add(y[i, j, k]);
                model.Add("m" + i);
                factor.Add("l" + j);
            }
            double Cell(int i, int j) => Enumerable.Range(0, r).Average(k => y[i, j, k]);
            double RowMean(int i) => Enumerable.Range(0, b).Average(j => Cell(i, j));
            double ColMean(int j) => Enumerable.Range(0, a).Average(i => Cell(i, j));
            var grand = scores.Average();
            var ssT = scores.Sum(v => (v - grand) * (v - grand));
            if (ssT < 1e-9) continue;
            var ssA = b * r * Enumerable.Range(0, a).Sum(i => Math.Pow(RowMean(i) - grand, 2));
            var ssB = a * r * Enumerable.Range(0, b).Sum(j => Math.Pow(ColMean(j) - grand, 2));
            var ssAB = r * Enumerable.Range(0, a).Sum(i => Enumerable.Range(0, b).Sum(j => Math.Pow(Cell(i, j) - RowMean(i) - ColMean(j) + grand, 2)));
            var ssE = Enumerable.Range(0, a).Sum(i => Enumerable.Range(0, b).Sum(j => Enumerable.Range(0, r).Sum(k => Math.Pow(y[i, j, k] - Cell(i, j), 2))));
            (ssA + ssB + ssAB + ssE).ShouldBe(ssT, 1e-9);

            var shares = VarianceDecomposition.Compute(scores, new Dictionary<string, IReadOnlyList<string>> { ["model"] = model, ["f"] = factor }).ToDictionary(s => s.Factor);
            shares["model"].MainEffect.ShouldBe(ssA / ssT, 1e-9);
            shares["f"].MainEffect.ShouldBe(ssB / ssT, 1e-9);
            shares["f"].ModelInteraction.ShouldBe(ssAB / ssT, 1e-9);
        }
    }

    [Fact]
    public void Pure_interaction_with_the_model_has_no_main_effect()
    {
        // Model m1 does better with the packed template, m2 with native: averaged over models the template does nothing.
        double[] y = [0, 1, 1, 0, 0, 1, 1, 0];
        var factors = new Dictionary<string, IReadOnlyList<string>>
        {
            ["model"] = ["m1", "m1", "m2", "m2", "m1", "m1", "m2", "m2"],
            ["template"] = ["native", "packed", "native", "packed", "native", "packed", "native", "packed"],
            ["seed"] = ["1", "1", "1", "1", "2", "2", "2", "2"],
        };
        var shares = VarianceDecomposition.Compute(y, factors).ToDictionary(s => s.Factor);
        shares["model"].MainEffect.ShouldBe(0, 1e-12);
        shares["template"].MainEffect.ShouldBe(0, 1e-12);
        shares["template"].ModelInteraction.ShouldBe(1, 1e-12);
        shares["seed"].MainEffect.ShouldBe(0, 1e-12);
        shares["seed"].ModelInteraction.ShouldBe(0, 1e-12);
    }
}
