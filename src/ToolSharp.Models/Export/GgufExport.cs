using ToolSharp.Core.Errors;
using ToolSharp.Models.Configuration;
using ToolSharp.Text.Builtin;

namespace ToolSharp.Models.Export;

/// <summary>Writes a model with the built-in tokenizer as a GGUF file that llama.cpp (and so Ollama) loads.</summary>
/// <remarks>
/// The llama.cpp architecture follows the weights: <c>qwen3</c> for Qwen3 configs (the built-in presets — llama.cpp's
/// <c>llama</c> graph has no q/k norms, so a Qwen3 model cannot be written as <c>llama</c>), <c>qwen2</c> and <c>llama</c> for
/// theirs. Tensor names and metadata keys are those of llama.cpp's convert_hf_to_gguf.py. For <c>llama</c> the q/k
/// projection rows are permuted from Hugging Face's rotate-half RoPE layout to the interleaved pairs llama.cpp rotates;
/// qwen2/qwen3 use rotate-half ("NEOX") RoPE in llama.cpp too and are written as they are. One-dimensional tensors (norms,
/// biases) stay F32 in an F16 file, as the converter does. The tokenizer is a "gpt2" byte-level BPE: the 256 byte
/// symbols (GPT-2's byte-to-unicode table) as normal tokens, no merges (so every byte is its own token whatever the
/// pre-tokenizer splits), and the specials as control tokens, which llama.cpp matches longest first as we do.
/// </remarks>
public static class GgufExport
{
    public const int TokenTypeNormal = 1;
    public const int TokenTypeControl = 3;

    public static void Write(ExportSource source, string path, ExportDType dtype = ExportDType.F32)
    {
        var writer = Build(source, dtype);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        var temp = path + ".tmp";
        using (var stream = File.Create(temp)) writer.Write(stream);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The llama.cpp architecture name for a config.</summary>
    public static string ArchitectureName(TransformerConfig config) => config.Architecture switch
    {
        Architecture.Llama => "llama",
        Architecture.Qwen2 => "qwen2",
        _ => "qwen3",
    };

    public static GgufWriter Build(ExportSource source, ExportDType dtype)
    {
        if (!source.UsesBuiltinTokenizer)
            throw new ToolSharpException($"{source.Directory}: GGUF export needs the built-in tokenizer; this run has its own tokenizer.json (export it with --to and convert that folder with llama.cpp's convert_hf_to_gguf.py)");
        if (dtype == ExportDType.BF16) throw new ToolSharpException("--dtype bf16: GGUF export writes f32 or f16");
        var c = source.Config;
        var configSource = Path.Combine(source.Directory, "config.json");
        if (c.RotaryDim != c.HeadDim)
            throw new InputFormatException(configSource, "partial_rotary_factor", "1 (llama.cpp's llama/qwen2/qwen3 graphs rotate whole heads)", c.PartialRotaryFactor.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (c.Architecture == Architecture.Qwen2 && c.NumHeads * c.HeadDim != c.HiddenSize)
            throw new InputFormatException(configSource, "head_dim", $"hidden_size / num_attention_heads = {c.HiddenSize / c.NumHeads} (llama.cpp's qwen2 graph assumes it)", c.HeadDim.ToString());

        var arch = ArchitectureName(c);
        var w = new GgufWriter();
        w.Add("general.architecture", arch);
        w.Add("general.name", source.Name);
        w.Add("general.file_type", dtype == ExportDType.F16 ? 1u : 0u);
        w.Add($"{arch}.vocab_size", (uint)c.VocabSize);
        w.Add($"{arch}.context_length", (uint)c.MaxPositionEmbeddings);
        w.Add($"{arch}.embedding_length", (uint)c.HiddenSize);
        w.Add($"{arch}.block_count", (uint)c.NumLayers);
        w.Add($"{arch}.feed_forward_length", (uint)c.IntermediateSize);
        w.Add($"{arch}.attention.head_count", (uint)c.NumHeads);
        w.Add($"{arch}.attention.head_count_kv", (uint)c.NumKvHeads);
        w.Add($"{arch}.attention.key_length", (uint)c.HeadDim);
        w.Add($"{arch}.attention.value_length", (uint)c.HeadDim);
        w.Add($"{arch}.rope.dimension_count", (uint)c.RotaryDim);
        w.Add($"{arch}.rope.freq_base", c.RopeTheta);
        w.Add($"{arch}.attention.layer_norm_rms_epsilon", c.RmsNormEps);
        AddTokenizer(w);

        var matrixType = dtype == ExportDType.F16 ? GgmlType.F16 : GgmlType.F32;
        foreach (var (name, tensor) in source.Model.NamedParameters())
        {
            var data = tensor.ToArray();
            if (c.Architecture == Architecture.Llama)
            {
                if (name.EndsWith(".self_attn.q_proj.weight", StringComparison.Ordinal) || name.EndsWith(".self_attn.q_proj.bias", StringComparison.Ordinal))
                    data = PermuteForInterleavedRope(data, c.NumHeads, c.HeadDim);
                else if (name.EndsWith(".self_attn.k_proj.weight", StringComparison.Ordinal) || name.EndsWith(".self_attn.k_proj.bias", StringComparison.Ordinal))
                    data = PermuteForInterleavedRope(data, c.NumKvHeads, c.HeadDim);
            }
            w.AddTensor(TensorName(name), tensor.Shape, data, tensor.Shape.Length == 1 ? GgmlType.F32 : matrixType);
        }
        return w;
    }

    /// <summary>The tokenizer.* metadata of the built-in tokenizer and chat template.</summary>
    public static void AddTokenizer(GgufWriter w)
    {
        var t = BuiltinTokenizer.Instance;
        w.Add("tokenizer.ggml.model", "gpt2");
        w.Add("tokenizer.ggml.pre", "default");
        w.Add("tokenizer.ggml.tokens", Enumerable.Range(0, BuiltinTokenizer.Size).Select(i => t.IdToToken(i)!).ToList());
        w.Add("tokenizer.ggml.token_type", Enumerable.Range(0, BuiltinTokenizer.Size).Select(i => t.IsSpecial(i) ? TokenTypeControl : TokenTypeNormal).ToList());
        w.Add("tokenizer.ggml.merges", Array.Empty<string>());
        w.Add("tokenizer.ggml.bos_token_id", (uint)t.Id(BuiltinTokenizer.Bos));
        w.Add("tokenizer.ggml.eos_token_id", (uint)t.Id(BuiltinTokenizer.End));
        w.Add("tokenizer.ggml.eot_token_id", (uint)t.Id(BuiltinTokenizer.End));
        w.Add("tokenizer.ggml.padding_token_id", (uint)t.Id(BuiltinTokenizer.Pad));
        w.Add("tokenizer.ggml.add_bos_token", false);
        w.Add("tokenizer.ggml.add_eos_token", false);
        w.Add("tokenizer.chat_template", BuiltinChatTemplate.Text);
    }

    /// <summary>llama.cpp's name for a Hugging Face tensor name.</summary>
    public static string TensorName(string hfName)
    {
        switch (hfName)
        {
            case "model.embed_tokens.weight": return "token_embd.weight";
            case "model.norm.weight": return "output_norm.weight";
            case "lm_head.weight": return "output.weight";
        }
        const string prefix = "model.layers.";
        if (!hfName.StartsWith(prefix, StringComparison.Ordinal)) throw new ArgumentException($"no GGUF name for tensor '{hfName}'");
        var dot = hfName.IndexOf('.', prefix.Length);
        var layer = hfName[prefix.Length..dot];
        var rest = hfName[(dot + 1)..];
        var mapped = rest switch
        {
            "input_layernorm.weight" => "attn_norm.weight",
            "post_attention_layernorm.weight" => "ffn_norm.weight",
            "self_attn.q_proj.weight" => "attn_q.weight",
            "self_attn.q_proj.bias" => "attn_q.bias",
            "self_attn.k_proj.weight" => "attn_k.weight",
            "self_attn.k_proj.bias" => "attn_k.bias",
            "self_attn.v_proj.weight" => "attn_v.weight",
            "self_attn.v_proj.bias" => "attn_v.bias",
            "self_attn.o_proj.weight" => "attn_output.weight",
            "self_attn.o_proj.bias" => "attn_output.bias",
            "self_attn.q_norm.weight" => "attn_q_norm.weight",
            "self_attn.k_norm.weight" => "attn_k_norm.weight",
            "mlp.gate_proj.weight" => "ffn_gate.weight",
            "mlp.up_proj.weight" => "ffn_up.weight",
            "mlp.down_proj.weight" => "ffn_down.weight",
            _ => throw new ArgumentException($"no GGUF name for tensor '{hfName}'"),
        };
        return $"blk.{layer}.{mapped}";
    }

    /// <summary>Reorders the rows of each head from rotate-half pairs (i, i + d/2) to interleaved pairs (2i, 2i + 1).</summary>
    /// <remarks>The permutation of llama.cpp's converter (<c>LlamaModel.permute</c>): row h·d + 2i + j takes row h·d + j·d/2 + i.
    /// Works for weights (rows of <c>columns</c> values) and biases (one value per row) alike.</remarks>
    public static float[] PermuteForInterleavedRope(float[] data, int heads, int headDim)
    {
        var rows = heads * headDim;
        if (data.Length % rows != 0) throw new ArgumentException($"{data.Length} values do not split into {rows} rows");
        var columns = data.Length / rows;
        var half = headDim / 2;
        var result = new float[data.Length];
        for (var h = 0; h < heads; h++)
            for (var i = 0; i < half; i++)
                for (var j = 0; j < 2; j++)
                {
                    var to = h * headDim + 2 * i + j;
                    var from = h * headDim + j * half + i;
                    Array.Copy(data, from * columns, result, to * columns, columns);
                }
        return result;
    }
}
