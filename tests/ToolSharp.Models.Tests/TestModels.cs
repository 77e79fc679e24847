using ToolSharp.Models.Configuration;

namespace ToolSharp.Models.Tests;

/// <summary>Small models for fast tests.</summary>
internal static class TestModels
{
    public static TransformerConfig Micro(Architecture arch = Architecture.Qwen3, bool tied = true) => new()
    {
        Architecture = arch,
        VocabSize = 40,
        HiddenSize = 32,
        NumLayers = 2,
        NumHeads = 4,
        NumKvHeads = 2,
        HeadDim = 8,
        IntermediateSize = 48,
        TieWordEmbeddings = tied,
        RmsNormEps = 1e-6f,
    };

    /// <summary>A model whose biases and norm weights are random too, so every parameter matters in comparisons.</summary>
    public static Transformer Randomised(TransformerConfig config, ulong seed)
    {
        var model = Transformer.Create(config, seed);
        var rng = new Core.Randomness.SeededRandom(seed + 1);
        foreach (var (name, t) in model.NamedParameters())
        {
            if (!name.EndsWith(".bias") && !name.Contains("norm")) continue;
            var s = t.Span;
            for (var i = 0; i < s.Length; i++) s[i] = (name.Contains("norm") ? 1f : 0f) + 0.1f * (float)rng.NextGaussian();
        }
        return model;
    }
}
