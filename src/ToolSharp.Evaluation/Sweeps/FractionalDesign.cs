using MathNet.Numerics.LinearAlgebra;
using ToolSharp.Core.Errors;

namespace ToolSharp.Evaluation.Sweeps;

/// <summary>A fraction of the full factorial in which every factor's main effect is estimable: a D-optimal
/// selection (Fedorov exchange) of settings for the main-effects model, the baseline always included.</summary>
/// <remarks>
/// Every model is run on every selected setting, so the model × factor interactions are estimable whenever the main
/// effects are: their columns are the main-effect columns repeated within each model. D-optimality maximises
/// det(XᵀX) of the effect-coded main-effects matrix, which makes the level estimates as precise (and as close to
/// orthogonal) as the budget allows; with a budget that divides the full design evenly it usually finds a balanced
/// orthogonal fraction. The search is deterministic: seeded starts, exchanges tried in index order.
/// </remarks>
public static class FractionalDesign
{
    /// <summary>Parameters of the main-effects model: the intercept plus (levels − 1) per factor.</summary>
    public static int Parameters(IReadOnlyList<int> levelCounts) => 1 + levelCounts.Sum(l => l - 1);

    /// <summary>The budget used when none is given: the smallest multiple of every factor's level count (so each
    /// level can appear equally often) that is at least <see cref="Parameters"/>, capped at the full design.</summary>
    public static int DefaultBudget(IReadOnlyList<int> levelCounts)
    {
        var full = levelCounts.Aggregate(1, (a, b) => a * b);
        var lcm = levelCounts.Aggregate(1, (a, b) => a / Gcd(a, b) * b);
        var p = Parameters(levelCounts);
        return Math.Min(full, (p + lcm - 1) / lcm * lcm);
    }

    /// <summary>Indices (ascending) of the selected rows of <paramref name="candidates"/>, each row a setting's level
    /// index per factor; row 0 must be the baseline and is always kept.</summary>
    public static IReadOnlyList<int> Select(IReadOnlyList<int[]> candidates, IReadOnlyList<int> levelCounts, int budget, ulong seed)
    {
        var p = Parameters(levelCounts);
        if (budget < p)
            throw new ToolSharpException($"design 'fractional' needs a budget of at least {p} settings to estimate every main effect (1 + Σ(levels − 1)), found {budget}");
        if (budget >= candidates.Count) return Enumerable.Range(0, candidates.Count).ToList();

        var rows = candidates.Select(c => Encode(c, levelCounts)).ToArray();
        // Single exchanges stall in local optima (a 2³ half fraction is three swaps from some starts), so the search
        // restarts from several seeded draws and keeps the best; ties go to the earliest start.
        var rng = new Core.Randomness.SeededRandom(seed);
        List<int> chosen = [];
        var best = double.NegativeInfinity;
        for (var start = 0; start < Restarts; start++)
        {
            var (design, value) = Exchange(rows, budget, rng);
            if (value > best + 1e-9 || chosen.Count == 0) (chosen, best) = (design, value);
        }
        if (double.IsNegativeInfinity(best))
            throw new ToolSharpException($"design 'fractional': no {budget} settings make every main effect estimable");
        return chosen.Order().ToList();
    }

    /// <summary>Seeded starts of the exchange search.</summary>
    public const int Restarts = 24;

    // One exchange search: the baseline plus a random draw, then swaps until none raises log det(XᵀX).
    private static (List<int> Design, double LogDet) Exchange(double[][] rows, int budget, Core.Randomness.SeededRandom rng)
    {
        var order = Enumerable.Range(1, rows.Length - 1).ToArray();
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var chosen = new List<int> { 0 };
        chosen.AddRange(order.Take(budget - 1));
        var best = LogDet(rows, chosen);
        for (var pass = 0; pass < 50; pass++)
        {
            var improved = false;
            for (var slot = 1; slot < chosen.Count; slot++)
            {
                for (var candidate = 1; candidate < rows.Length; candidate++)
                {
                    if (chosen.Contains(candidate)) continue;
                    var previous = chosen[slot];
                    chosen[slot] = candidate;
                    var value = LogDet(rows, chosen);
                    if (value > best + 1e-9) { best = value; improved = true; }
                    else chosen[slot] = previous;
                }
            }
            if (!improved) break;
        }
        return (chosen, best);
    }

    /// <summary>Effect (deviation) coding: level j &lt; L−1 sets column j, the last level sets all of the factor's columns to −1.</summary>
    private static double[] Encode(int[] levels, IReadOnlyList<int> levelCounts)
    {
        var row = new double[Parameters(levelCounts)];
        row[0] = 1;
        var column = 1;
        for (var f = 0; f < levelCounts.Count; f++)
        {
            var l = levelCounts[f];
            for (var j = 0; j < l - 1; j++) row[column + j] = levels[f] == l - 1 ? -1 : levels[f] == j ? 1 : 0;
            column += l - 1;
        }
        return row;
    }

    private static double LogDet(double[][] rows, IReadOnlyList<int> chosen)
    {
        var p = rows[0].Length;
        var information = Matrix<double>.Build.Dense(p, p);
        foreach (var i in chosen)
        for (var a = 0; a < p; a++)
        for (var b = 0; b < p; b++)
            information[a, b] += rows[i][a] * rows[i][b];
        var det = information.Determinant();
        return det > 1e-9 ? Math.Log(det) : double.NegativeInfinity;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
