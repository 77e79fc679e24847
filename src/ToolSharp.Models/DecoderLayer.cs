using ToolSharp.Tensors.Ops;
using Tensor = ToolSharp.Tensors.Tensor;

namespace ToolSharp.Models;

/// <summary>One decoder block: its parameters (attention with optional biases and Qwen3 q/k norms, a SwiGLU MLP) and
/// its forward pass, shared by training (packed causal attention) and generation (attention over a KV cache).</summary>
public sealed class DecoderLayer
{
    /// <summary>The block on rows <paramref name="x"/> [rows, hidden] at <paramref name="positions"/>; <paramref name="attend"/>
    /// turns the rotated queries and keys and the values [rows, heads·dim] into the attention output.</summary>
    public Tensor Forward(Tensor x, int[] positions, RotaryEmbedding rope, float eps, Func<Tensor, Tensor, Tensor, Tensor> attend)
    {
        var h = Ops.RmsNorm(x, InputNorm, eps);
        var q = Ops.Linear(h, QProj, QBias);
        var k = Ops.Linear(h, KProj, KBias);
        var v = Ops.Linear(h, VProj, VBias);
        if (QNorm is not null) q = Ops.RmsNorm(q, QNorm, eps);
        if (KNorm is not null) k = Ops.RmsNorm(k, KNorm, eps);
        q = Ops.Rope(q, positions, rope);
        k = Ops.Rope(k, positions, rope);
        x = Ops.Add(x, Ops.Linear(attend(q, k, v), OProj, OBias));
        var h2 = Ops.RmsNorm(x, PostAttentionNorm, eps);
        return Ops.Add(x, Ops.Linear(Ops.SwiGlu(Ops.Linear(h2, GateProj), Ops.Linear(h2, UpProj)), DownProj));
    }

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
