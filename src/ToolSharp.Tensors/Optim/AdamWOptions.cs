namespace ToolSharp.Tensors.Optim;

/// <summary>AdamW hyper-parameters (PyTorch defaults except weight decay, which nanoGPT-style training sets to 0.1).</summary>
public sealed record AdamWOptions(float LearningRate = 1e-3f, float Beta1 = 0.9f, float Beta2 = 0.999f, float Epsilon = 1e-8f, float WeightDecay = 0.0f)
{
    /// <summary>Decides which parameters decay; by default matrices do, vectors (norm weights, biases) do not.</summary>
    public Func<Tensor, bool> Decays { get; init; } = t => t.Rank >= 2;
}
