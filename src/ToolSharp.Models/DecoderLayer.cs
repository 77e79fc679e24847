namespace ToolSharp.Models;

/// <summary>The parameters of one decoder block: attention (with optional biases and Qwen3 q/k norms) and a SwiGLU MLP.</summary>
public sealed class DecoderLayer
{
    public required Tensors.Tensor InputNorm { get; init; }
    public required Tensors.Tensor QProj { get; init; }
    public required Tensors.Tensor KProj { get; init; }
    public required Tensors.Tensor VProj { get; init; }
    public required Tensors.Tensor OProj { get; init; }
    public Tensors.Tensor? QBias { get; init; }
    public Tensors.Tensor? KBias { get; init; }
    public Tensors.Tensor? VBias { get; init; }
    public Tensors.Tensor? OBias { get; init; }
    public Tensors.Tensor? QNorm { get; init; }
    public Tensors.Tensor? KNorm { get; init; }
    public required Tensors.Tensor PostAttentionNorm { get; init; }
    public required Tensors.Tensor GateProj { get; init; }
    public required Tensors.Tensor UpProj { get; init; }
    public required Tensors.Tensor DownProj { get; init; }

    /// <summary>The layer's parameters with their Hugging Face names under <c>model.layers.{index}</c>.</summary>
    public IEnumerable<(string Name, Tensors.Tensor Tensor)> Named(int index)
    {
        var p = $"model.layers.{index}.";
        yield return (p + "input_layernorm.weight", InputNorm);
        yield return (p + "self_attn.q_proj.weight", QProj);
        if (QBias is not null) yield return (p + "self_attn.q_proj.bias", QBias);
        yield return (p + "self_attn.k_proj.weight", KProj);
        if (KBias is not null) yield return (p + "self_attn.k_proj.bias", KBias);
        yield return (p + "self_attn.v_proj.weight", VProj);
        if (VBias is not null) yield return (p + "self_attn.v_proj.bias", VBias);
        yield return (p + "self_attn.o_proj.weight", OProj);
        if (OBias is not null) yield return (p + "self_attn.o_proj.bias", OBias);
        if (QNorm is not null) yield return (p + "self_attn.q_norm.weight", QNorm);
        if (KNorm is not null) yield return (p + "self_attn.k_norm.weight", KNorm);
        yield return (p + "post_attention_layernorm.weight", PostAttentionNorm);
        yield return (p + "mlp.gate_proj.weight", GateProj);
        yield return (p + "mlp.up_proj.weight", UpProj);
        yield return (p + "mlp.down_proj.weight", DownProj);
    }
}
