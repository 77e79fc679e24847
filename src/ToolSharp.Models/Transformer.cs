using ToolSharp.Core.Errors;
using ToolSharp.Core.Randomness;
using ToolSharp.Models.Checkpoints;
using ToolSharp.Models.Configuration;
using ToolSharp.Models.Training;
using ToolSharp.Tensors;
using ToolSharp.Tensors.Autograd;
using ToolSharp.Tensors.Ops;

namespace ToolSharp.Models;

/// <summary>A decoder-only transformer (Llama / Qwen2 / Qwen3) with Hugging Face parameter names and layouts.</summary>
/// <remarks>
/// The forward pass follows the reference modeling code step by step: embed, then per layer
/// x += o(attn(rope(norm_qk(q(rms(x)))), rope(norm_qk(k(rms(x)))), v(rms(x)))) and x += down(silu(gate(rms(x))) ⊙ up(rms(x))),
/// then a final RMSNorm and the (possibly tied) language-model head.
/// </remarks>
public sealed class Transformer
{
    private Transformer(TransformerConfig config, Tensor embed, DecoderLayer[] layers, Tensor finalNorm, Tensor lmHead)
    {
        Config = config;
        Embed = embed;
        Layers = layers;
        FinalNorm = finalNorm;
        LmHead = lmHead;
        Rope = new RotaryEmbedding(config.HeadDim, config.RopeTheta, config.RotaryDim, Math.Min(config.MaxPositionEmbeddings, 1024));
    }

    public TransformerConfig Config { get; }

    public Tensor Embed { get; }

    public IReadOnlyList<DecoderLayer> Layers { get; }

    public Tensor FinalNorm { get; }

    /// <summary>The output projection; the same tensor as <see cref="Embed"/> when embeddings are tied.</summary>
    public Tensor LmHead { get; }

    public RotaryEmbedding Rope { get; }

    /// <summary>Every distinct parameter with its Hugging Face name (a tied head is listed once, as the embedding).</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedParameters()
    {
        yield return ("model.embed_tokens.weight", Embed);
        for (var i = 0; i < Layers.Count; i++)
            foreach (var p in Layers[i].Named(i)) yield return p;
        yield return ("model.norm.weight", FinalNorm);
        if (!Config.TieWordEmbeddings) yield return ("lm_head.weight", LmHead);
    }

    public IReadOnlyList<Tensor> Parameters => NamedParameters().Select(p => p.Tensor).ToList();

    /// <summary>A freshly initialised model: N(0, initializer_range) for projections and embeddings, ones for norms, zero biases (as HF's _init_weights).</summary>
    public static Transformer Create(TransformerConfig config, ulong seed)
    {
        config.Validate();
        var rng = new SeededRandom(seed);
        var expected = ExpectedShapes(config);
        var tensors = new Dictionary<string, (int[] Shape, float[] Data)>(StringComparer.Ordinal);
        foreach (var (name, shape) in expected)
        {
            var data = new float[shape.Aggregate(1, (a, b) => a * b)];
            if (name.EndsWith("norm.weight", StringComparison.Ordinal)) Array.Fill(data, 1f);
            else if (!name.EndsWith(".bias", StringComparison.Ordinal))
                for (var i = 0; i < data.Length; i++) data[i] = (float)(rng.NextGaussian() * config.InitializerRange);
            tensors[name] = (shape, data);
        }
        return FromTensors(config, tensors, "initialisation");
    }

    /// <summary>Builds a model from named tensors, checking every expected tensor is present with the right shape.</summary>
    public static Transformer FromTensors(TransformerConfig config, IReadOnlyDictionary<string, (int[] Shape, float[] Data)> tensors, string source)
    {
        var expected = ExpectedShapes(config);
        Tensor Take(string name)
        {
            if (!tensors.TryGetValue(name, out var t))
                throw new InputFormatException(source, name, $"a tensor of shape [{string.Join(", ", expected[name])}]", "no such tensor");
            if (!t.Shape.SequenceEqual(expected[name]))
                throw new InputFormatException(source, name, $"shape [{string.Join(", ", expected[name])}] (from config.json)", $"[{string.Join(", ", t.Shape)}]");
            var tensor = Tensor.FromArray(t.Data, t.Shape);
            tensor.Name = name;
            tensor.RequiresGrad = true;
            return tensor;
        }
        Tensor? Maybe(string name) => expected.ContainsKey(name) ? Take(name) : null;

        var unknown = tensors.Keys.Where(k => !expected.ContainsKey(k) && !(config.TieWordEmbeddings && k == "lm_head.weight") && !k.Contains("rotary_emb")).ToList();
        if (unknown.Count > 0)
            throw new InputFormatException(source, unknown[0], $"a tensor of a {config.Architecture} model with {config.NumLayers} layers", $"an unexpected tensor ({unknown.Count} unexpected in all)");

        var embed = Take("model.embed_tokens.weight");
        var layers = new DecoderLayer[config.NumLayers];
        for (var i = 0; i < layers.Length; i++)
        {
            var p = $"model.layers.{i}.";
            layers[i] = new DecoderLayer
            {
                InputNorm = Take(p + "input_layernorm.weight"),
                QProj = Take(p + "self_attn.q_proj.weight"),
                KProj = Take(p + "self_attn.k_proj.weight"),
                VProj = Take(p + "self_attn.v_proj.weight"),
                OProj = Take(p + "self_attn.o_proj.weight"),
                QBias = Maybe(p + "self_attn.q_proj.bias"),
                KBias = Maybe(p + "self_attn.k_proj.bias"),
                VBias = Maybe(p + "self_attn.v_proj.bias"),
                OBias = Maybe(p + "self_attn.o_proj.bias"),
                QNorm = Maybe(p + "self_attn.q_norm.weight"),
                KNorm = Maybe(p + "self_attn.k_norm.weight"),
                PostAttentionNorm = Take(p + "post_attention_layernorm.weight"),
                GateProj = Take(p + "mlp.gate_proj.weight"),
                UpProj = Take(p + "mlp.up_proj.weight"),
                DownProj = Take(p + "mlp.down_proj.weight"),
            };
        }
        var norm = Take("model.norm.weight");
        var head = config.TieWordEmbeddings ? embed : Take("lm_head.weight");
        return new Transformer(config, embed, layers, norm, head);
    }

    /// <summary>The tensors a model of this configuration has, with their shapes.</summary>
    public static Dictionary<string, int[]> ExpectedShapes(TransformerConfig c)
    {
        int d = c.HiddenSize, q = c.NumHeads * c.HeadDim, kv = c.NumKvHeads * c.HeadDim, f = c.IntermediateSize;
        var shapes = new Dictionary<string, int[]>(StringComparer.Ordinal) { ["model.embed_tokens.weight"] = [c.VocabSize, d] };
        for (var i = 0; i < c.NumLayers; i++)
        {
            var p = $"model.layers.{i}.";
            shapes[p + "input_layernorm.weight"] = [d];
            shapes[p + "self_attn.q_proj.weight"] = [q, d];
            shapes[p + "self_attn.k_proj.weight"] = [kv, d];
            shapes[p + "self_attn.v_proj.weight"] = [kv, d];
            shapes[p + "self_attn.o_proj.weight"] = [d, q];
            if (c.HasQkvBias)
            {
                shapes[p + "self_attn.q_proj.bias"] = [q];
                shapes[p + "self_attn.k_proj.bias"] = [kv];
                shapes[p + "self_attn.v_proj.bias"] = [kv];
            }
            if (c.HasOutputBias) shapes[p + "self_attn.o_proj.bias"] = [d];
            if (c.HasQkNorm)
            {
                shapes[p + "self_attn.q_norm.weight"] = [c.HeadDim];
                shapes[p + "self_attn.k_norm.weight"] = [c.HeadDim];
            }
            shapes[p + "post_attention_layernorm.weight"] = [d];
            shapes[p + "mlp.gate_proj.weight"] = [f, d];
            shapes[p + "mlp.up_proj.weight"] = [f, d];
            shapes[p + "mlp.down_proj.weight"] = [d, f];
        }
        shapes["model.norm.weight"] = [d];
        if (!c.TieWordEmbeddings) shapes["lm_head.weight"] = [c.VocabSize, d];
        return shapes;
    }

    /// <summary>Loads config.json and the safetensors weights (single file or sharded) from a directory.</summary>
    public static Transformer Load(string directory)
    {
        var configPath = Path.Combine(directory, "config.json");
        if (!File.Exists(configPath)) throw new ToolSharpException($"{directory}: no config.json (not a model directory)");
        var config = TransformerConfig.Load(configPath);
        // Tensor problems name the weights file (the index of a sharded checkpoint) and the tensor.
        var single = Path.Combine(directory, "model.safetensors");
        return FromTensors(config, SafeTensors.Load(directory), File.Exists(single) ? single : Path.Combine(directory, "model.safetensors.index.json"));
    }

    /// <summary>Writes config.json and model.safetensors (float32) into a directory, as HF save_pretrained does.</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config.json"), Config.ToJson());
        using var stream = File.Create(Path.Combine(directory, "model.safetensors"));
        SafeTensors.Write(stream, NamedParameters().Select(p => (p.Name, p.Tensor.Shape, p.Tensor.ToArray())), metadata: new Dictionary<string, string> { ["format"] = "pt" });
    }

    /// <summary>Final hidden states [rows, hidden] of packed sequences (recording onto the current tape if any).</summary>
    public Tensor Hidden(IReadOnlyList<int[]> sequences)
    {
        var lengths = sequences.Select(s => s.Length).ToArray();
        var ids = sequences.SelectMany(s => s).ToArray();
        var positions = sequences.SelectMany(s => Enumerable.Range(0, s.Length)).ToArray();
        var layout = AttentionLayout.Packed(lengths, Config.NumHeads, Config.NumKvHeads, Config.HeadDim);
        var eps = Config.RmsNormEps;

        var x = Ops.Embedding(Embed, ids);
        foreach (var layer in Layers)
            x = layer.Forward(x, positions, Rope, eps, (q, k, v) => Ops.CausalAttention(q, k, v, layout));
        return Ops.RmsNorm(x, FinalNorm, eps);
    }

    /// <summary>Logits [rows, vocab] for every position of packed sequences (inference and parity checks).</summary>
    public Tensor Logits(IReadOnlyList<int[]> sequences) => Ops.Linear(Hidden(sequences), LmHead);

    /// <summary>Log-probs and entropies of the scored tokens of a batch; the head runs only on rows that need it.</summary>
    /// <remarks>
    /// Call inside a <see cref="Tensors.Memory.TensorScope"/> (and a <see cref="Tape"/> to train). With a temperature,
    /// logits are divided by it first, so log-probs match those reported by a sampler at that temperature.
    /// </remarks>
    public TokenScores Score(TokenBatch batch, float temperature = 1f)
    {
        var hidden = Hidden(batch.Tokens);
        var rows = new List<(int, int)>();
        var hiddenRows = new List<int>();
        var targets = new List<int>();
        var offset = 0;
        for (var s = 0; s < batch.Tokens.Count; s++)
        {
            var tokens = batch.Tokens[s];
            for (var i = 1; i < tokens.Length; i++)
            {
                if (!batch.Scored[s][i]) continue;
                rows.Add((s, i));
                hiddenRows.Add(offset + i - 1);
                targets.Add(tokens[i]);
            }
            offset += tokens.Length;
        }
        var selected = Ops.SelectRows(hidden, hiddenRows.ToArray());
        var logits = Ops.Linear(selected, LmHead);
        if (temperature != 1f) logits = Ops.Scale(logits, 1f / temperature);
        var scores = Ops.TokenLogProbs(logits, targets.ToArray());
        return new TokenScores(scores, rows.ToArray(), batch.Tokens);
    }
}
