using ToolSharp.Core.Errors;

namespace ToolSharp.Models.Configuration;

/// <summary>Built-in model sizes for the embedded default and tests (Qwen3 architecture, tied embeddings).</summary>
public static class ModelPresets
{
    /// <summary><c>tiny</c>: ≈1.6 M parameters with the 288-token built-in tokenizer; trains in minutes on two cores.</summary>
    public static TransformerConfig Tiny(int vocabSize) => new()
    {
        Architecture = Architecture.Qwen3,
        VocabSize = vocabSize,
        HiddenSize = 192,
        NumLayers = 4,
        NumHeads = 6,
        NumKvHeads = 2,
        HeadDim = 32,
        IntermediateSize = 512,
        RopeTheta = 10000f,
        RmsNormEps = 1e-6f,
        TieWordEmbeddings = true,
        MaxPositionEmbeddings = 2048,
    };

    /// <summary><c>small</c>: ≈12.7 M parameters with the built-in tokenizer; the engine benchmark's size.</summary>
    public static TransformerConfig Small(int vocabSize) => new()
    {
        Architecture = Architecture.Qwen3,
        VocabSize = vocabSize,
        HiddenSize = 384,
        NumLayers = 8,
        NumHeads = 6,
        NumKvHeads = 2,
        HeadDim = 64,
        IntermediateSize = 1024,
        RopeTheta = 10000f,
        RmsNormEps = 1e-6f,
        TieWordEmbeddings = true,
        MaxPositionEmbeddings = 2048,
    };

    public static IReadOnlyList<string> Names { get; } = ["tiny", "small"];

    public static TransformerConfig Get(string name, int vocabSize) => name switch
    {
        "tiny" => Tiny(vocabSize),
        "small" => Small(vocabSize),
        _ => throw new ToolSharpException($"unknown model preset '{name}' (expected one of: {string.Join(", ", Names)})"),
    };
}
