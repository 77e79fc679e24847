using ToolSharp.Core.WireFormats;
using System.Text.Json;
using System.Text.Json.Nodes;
using ToolSharp.Core.Errors;
using ToolSharp.Core.Json;

namespace ToolSharp.Models.Configuration;

/// <summary>Which decoder family a model belongs to; decides biases and q/k norms.</summary>
public enum Architecture
{
    /// <summary>Llama: no biases (unless attention_bias), no q/k norm.</summary>
    Llama,
    /// <summary>Qwen2 / Qwen2.5: q/k/v projections have biases.</summary>
    Qwen2,
    /// <summary>Qwen3: no biases, RMSNorm over each head of q and k before RoPE.</summary>
    Qwen3,
}

/// <summary>The shape of a decoder-only transformer, read from and written to Hugging Face <c>config.json</c>.</summary>
public sealed record TransformerConfig
{
    public required Architecture Architecture { get; init; }
    public required int VocabSize { get; init; }
    public required int HiddenSize { get; init; }
    public required int NumLayers { get; init; }
    public required int NumHeads { get; init; }
    public required int NumKvHeads { get; init; }
    public required int HeadDim { get; init; }
    public required int IntermediateSize { get; init; }
    public float RopeTheta { get; init; } = 10000f;
    public float RmsNormEps { get; init; } = 1e-6f;
    public bool TieWordEmbeddings { get; init; }
    public int MaxPositionEmbeddings { get; init; } = 4096;
    /// <summary>Biases on q/k/v/o (Llama's <c>attention_bias</c>); Qwen2 always has q/k/v biases.</summary>
    public bool AttentionBias { get; init; }
    /// <summary>Fraction of each head rotated by RoPE (1 = all).</summary>
    public float PartialRotaryFactor { get; init; } = 1f;
    public float InitializerRange { get; init; } = 0.02f;
    public int? BosTokenId { get; init; }
    public int? EosTokenId { get; init; }

    public bool HasQkvBias => Architecture == Architecture.Qwen2 || AttentionBias;

    public bool HasOutputBias => Architecture == Architecture.Llama && AttentionBias;

    public bool HasQkNorm => Architecture == Architecture.Qwen3;

    public int RotaryDim => (int)(HeadDim * PartialRotaryFactor) / 2 * 2;

    /// <summary>Checks the dimensions fit together; throws with the offending fields.</summary>
    public TransformerConfig Validate(string source = "config")
    {
        void Positive(int value, string field)
        {
            if (value <= 0) throw new InputFormatException(source, field, "a positive integer", value.ToString());
        }
        Positive(VocabSize, "vocab_size");
        Positive(HiddenSize, "hidden_size");
        Positive(NumLayers, "num_hidden_layers");
        Positive(NumHeads, "num_attention_heads");
        Positive(NumKvHeads, "num_key_value_heads");
        Positive(HeadDim, "head_dim");
        Positive(IntermediateSize, "intermediate_size");
        if (NumHeads % NumKvHeads != 0)
            throw new InputFormatException(source, "num_key_value_heads", $"a divisor of num_attention_heads ({NumHeads})", NumKvHeads.ToString());
        if (RotaryDim < 2) throw new InputFormatException(source, "partial_rotary_factor", "a factor leaving at least 2 rotary dimensions", PartialRotaryFactor.ToString());
        return this;
    }

    /// <summary>Number of parameters (counting tied embeddings once).</summary>
    public long ParameterCount
    {
        get
        {
            long d = HiddenSize, q = NumHeads * HeadDim, kv = NumKvHeads * HeadDim, f = IntermediateSize;
            var attn = d * q + 2 * d * kv + q * d + (HasQkvBias ? q + 2 * kv : 0) + (HasOutputBias ? d : 0) + (HasQkNorm ? 2L * HeadDim : 0);
            var layer = attn + 3 * d * f + 2 * d;
            return (long)VocabSize * d * (TieWordEmbeddings ? 1 : 2) + NumLayers * layer + d;
        }
    }

    /// <summary>Reads a Hugging Face config.json (llama, qwen2, qwen3).</summary>
    public static TransformerConfig FromJson(JsonElement root, string source = "config.json")
    {
        if (root.ValueKind != JsonValueKind.Object) throw new InputFormatException(source, "$", "an object", JsonValues.SchemaTypeName(root));
        var type = Str(root, "model_type", source);
        var arch = type switch
        {
            "llama" => Architecture.Llama,
            "qwen2" => Architecture.Qwen2,
            "qwen3" => Architecture.Qwen3,
            _ => throw new InputFormatException(source, "model_type", "llama, qwen2 or qwen3", $"'{type}'"),
        };
        var hidden = Int(root, "hidden_size", source);
        var heads = Int(root, "num_attention_heads", source);
        var config = new TransformerConfig
        {
            Architecture = arch,
            VocabSize = Int(root, "vocab_size", source),
            HiddenSize = hidden,
            NumLayers = Int(root, "num_hidden_layers", source),
            NumHeads = heads,
            NumKvHeads = OptInt(root, "num_key_value_heads", source) ?? heads,
            HeadDim = OptInt(root, "head_dim", source) ?? hidden / heads,
            IntermediateSize = Int(root, "intermediate_size", source),
            RopeTheta = (float)(OptNum(root, "rope_theta", source) ?? 10000),
            RmsNormEps = (float)(OptNum(root, "rms_norm_eps", source) ?? 1e-6),
            TieWordEmbeddings = OptBool(root, "tie_word_embeddings", source) ?? false,
            MaxPositionEmbeddings = OptInt(root, "max_position_embeddings", source) ?? 4096,
            AttentionBias = OptBool(root, "attention_bias", source) ?? false,
            PartialRotaryFactor = (float)(OptNum(root, "partial_rotary_factor", source) ?? 1),
            InitializerRange = (float)(OptNum(root, "initializer_range", source) ?? 0.02),
            BosTokenId = OptInt(root, "bos_token_id", source),
            EosTokenId = OptInt(root, "eos_token_id", source),
        };
        if (root.TryGetProperty("hidden_act", out var act) && act.ValueKind == JsonValueKind.String && act.GetString() is not ("silu" or "swish"))
            throw new InputFormatException(source, "hidden_act", "silu", $"'{act.GetString()}'");
        RefuseUnsupported(root, source);
        return config.Validate(source);
    }

    /// <summary>Settings of real configs the engine does not implement: loading such a model would run, but compute
    /// something else than the model, so each is refused with the field, what the engine supports and what was found.</summary>
    private static void RefuseUnsupported(JsonElement root, string source)
    {
        if (root.TryGetProperty("rope_scaling", out var scaling) && scaling.ValueKind == JsonValueKind.Object && !IsDefaultRope(scaling))
            throw new InputFormatException(source, "rope_scaling", "null (RoPE scaling, such as Llama 3.1's llama3 or YaRN, is not supported)", JsonValues.ToCompact(scaling));
        if (OptBool(root, "use_sliding_window", source) == true)
            throw new InputFormatException(source, "use_sliding_window", "false (sliding-window attention is not supported)", "true");
        if (OptBool(root, "mlp_bias", source) == true)
            throw new InputFormatException(source, "mlp_bias", "false (MLP biases are not supported)", "true");
        if (root.TryGetProperty("quantization_config", out var quantization) && quantization.ValueKind != JsonValueKind.Null)
            throw new InputFormatException(source, "quantization_config", "none (quantized weights are not supported; use a float32, float16 or bfloat16 checkpoint)", JsonValues.ToCompact(quantization));
        if (root.TryGetProperty("layer_types", out var layers) && layers.ValueKind == JsonValueKind.Array)
            for (var i = 0; i < layers.GetArrayLength(); i++)
                if (layers[i].ValueKind != JsonValueKind.String || layers[i].GetString() != "full_attention")
                    throw new InputFormatException(source, $"layer_types[{i}]", "'full_attention' (other attention kinds are not supported)", layers[i].GetRawText());
    }

    /// <summary>True for a rope_scaling object that scales nothing (<c>{"rope_type": "default"}</c>).</summary>
    private static bool IsDefaultRope(JsonElement scaling)
    {
        foreach (var key in new[] { "rope_type", "type" })
            if (scaling.TryGetProperty(key, out var t)) return t.ValueKind == JsonValueKind.String && t.GetString() == "default";
        return false;
    }

    public static TransformerConfig Load(string path) => FromJson(OpenAiChatJsonParse(path), path);

    /// <summary>The config.json text Hugging Face transformers would write for this model.</summary>
    public string ToJson()
    {
        var (modelType, cls) = Architecture switch
        {
            Architecture.Llama => ("llama", "LlamaForCausalLM"),
            Architecture.Qwen2 => ("qwen2", "Qwen2ForCausalLM"),
            _ => ("qwen3", "Qwen3ForCausalLM"),
        };
        var o = new JsonObject
        {
            ["architectures"] = new JsonArray(cls),
            ["model_type"] = modelType,
            ["vocab_size"] = VocabSize,
            ["hidden_size"] = HiddenSize,
            ["intermediate_size"] = IntermediateSize,
            ["num_hidden_layers"] = NumLayers,
            ["num_attention_heads"] = NumHeads,
            ["num_key_value_heads"] = NumKvHeads,
            ["head_dim"] = HeadDim,
            ["hidden_act"] = "silu",
            ["max_position_embeddings"] = MaxPositionEmbeddings,
            ["initializer_range"] = InitializerRange,
            ["rms_norm_eps"] = RmsNormEps,
            ["rope_theta"] = RopeTheta,
            ["rope_scaling"] = null,
            ["tie_word_embeddings"] = TieWordEmbeddings,
            ["attention_bias"] = AttentionBias,
            ["attention_dropout"] = 0.0,
            ["use_cache"] = true,
            ["torch_dtype"] = "float32",
        };
        if (PartialRotaryFactor != 1f) o["partial_rotary_factor"] = PartialRotaryFactor;
        if (BosTokenId is not null) o["bos_token_id"] = BosTokenId;
        if (EosTokenId is not null) o["eos_token_id"] = EosTokenId;
        if (Architecture != Architecture.Llama) o["use_sliding_window"] = false;
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonElement OpenAiChatJsonParse(string path) => Core.Json.JsonValues.ParseFile(path);

    private static string Str(JsonElement o, string name, string source) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! :
        throw new InputFormatException(source, name, "a string", o.TryGetProperty(name, out var w) ? JsonValues.SchemaTypeName(w) : "nothing");

    private static int Int(JsonElement o, string name, string source) =>
        OptInt(o, name, source) ?? throw new InputFormatException(source, name, "an integer", "nothing");

    private static int? OptInt(JsonElement o, string name, string source)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.Array && name.EndsWith("token_id", StringComparison.Ordinal) && v.GetArrayLength() > 0) v = v[0];
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : throw new InputFormatException(source, name, "an integer", v.GetRawText());
    }

    private static double? OptNum(JsonElement o, string name, string source)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw new InputFormatException(source, name, "a number", v.GetRawText());
    }

    private static bool? OptBool(JsonElement o, string name, string source)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InputFormatException(source, name, "true or false", v.GetRawText()),
        };
    }
}
