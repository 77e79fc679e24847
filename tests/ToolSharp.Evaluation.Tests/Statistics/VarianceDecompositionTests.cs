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
