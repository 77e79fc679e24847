using ToolSharp.Training.Samples;

namespace ToolSharp.Training.Advantages;

/// <summary>Stage 4 of an RL step: per-token advantages for the selected samples.</summary>
/// <remarks>
/// Each generated token starts with its sample's advantage (0 on prompt, tool-result and user tokens); ARPO's hard
/// attribution then averages the advantages of shared tree prefixes; TAO-RL then scales post-tool tokens by their
/// entropy (statistics over the selected samples) and may exempt them from PPO's clip.
/// </remarks>
public static class TokenShaping
{
    public static IReadOnlyList<Sample> Shape(IReadOnlyList<Sample> samples, bool arpoHardAttribution, TaoOptions? tao)
    {
        IReadOnlyList<float[]> tokens = samples.Select(s => s.LossMask.Select(m => m > 0 ? (float)s.Advantage : 0f).ToArray()).ToArray();
        if (arpoHardAttribution) tokens = ArpoAttribution.Apply(samples, tokens);
        if (tao is not null)
            tokens = TaoRlShaping.Shape(tokens, samples.Select(s => s.Entropies).ToList(), samples.Select(s => s.LossMask).ToList(),
                samples.Select(s => s.PostTool).ToList(), tao.EntropyCoefficient);
        return samples.Select((s, i) => s with
        {
            TokenAdvantages = tokens[i],
            ClipExempt = tao is { ExemptPostToolFromClip: true } ? s.PostTool : null,
        }).ToList();
    }
}
