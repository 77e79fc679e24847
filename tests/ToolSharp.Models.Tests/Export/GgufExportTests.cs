using ToolSharp.Core.Errors;
using ToolSharp.Core.Randomness;
using ToolSharp.Models.Configuration;
using ToolSharp.Models.Export;
using ToolSharp.Testing;
using ToolSharp.Text.Builtin;

namespace ToolSharp.Models.Tests.Export;

public class GgufExportTests
{
    [Theory]
    [InlineData(Architecture.Qwen3, true, "qwen3")]
    [InlineData(Architecture.Llama, false, "llama")]
    [InlineData(Architecture.Qwen2, false, "qwen2")]
    public void Metadata_and_tensors_round_trip(Architecture arch, bool tied, string name)
    {
        using var dir = new TempDirectory();
        var config = HuggingFaceExportTests.Builtin(arch, tied, bias: arch == Architecture.Llama);
        var model = TestModels.Randomised(config, 21);
        GgufExport.Write(ExportSource.FromModel(model, "micro"), dir.File("m.gguf"));
        var gguf = GgufReader.Read(dir.File("m.gguf"));

        gguf.Version.ShouldBe(3u);
        var m = gguf.Metadata;
        m["general.architecture"].ShouldBe(name);
        m["general.name"].ShouldBe("micro");
        m["general.file_type"].ShouldBe(0u);
        m[$"{name}.block_count"].ShouldBe(2u);
        m[$"{name}.embedding_length"].ShouldBe(32u);
        m[$"{name}.feed_forward_length"].ShouldBe(48u);
        m[$"{name}.attention.head_count"].ShouldBe(4u);
        m[$"{name}.attention.head_count_kv"].ShouldBe(2u);
        m[$"{name}.attention.key_length"].ShouldBe(8u);
        m[$"{name}.rope.dimension_count"].ShouldBe(8u);
        m[$"{name}.context_length"].ShouldBe(512u);
        m[$"{name}.rope.freq_base"].ShouldBe(5000f);
        m[$"{name}.attention.layer_norm_rms_epsilon"].ShouldBe(1e-6f);
        m["tokenizer.ggml.model"].ShouldBe("gpt2");
        var tokens = (List<object>)m["tokenizer.ggml.tokens"];
        tokens.Count.ShouldBe(288);
        tokens[32].ShouldBe("Ġ");
        tokens[10].ShouldBe("Ċ");
        tokens[258].ShouldBe("<|end|>");
        var types = (List<object>)m["tokenizer.ggml.token_type"];
        types.Take(256).ShouldAllBe(t => (int)t == 1);
        types.Skip(256).ShouldAllBe(t => (int)t == 3);
        ((List<object>)m["tokenizer.ggml.merges"]).ShouldBeEmpty();
        m["tokenizer.ggml.bos_token_id"].ShouldBe(257u);
        m["tokenizer.ggml.eos_token_id"].ShouldBe(258u);
        m["tokenizer.ggml.eot_token_id"].ShouldBe(258u);
        m["tokenizer.ggml.add_bos_token"].ShouldBe(false);
        m["tokenizer.chat_template"].ShouldBe(BuiltinChatTemplate.Text);

        var hf = model.NamedParameters().ToDictionary(p => GgufExport.TensorName(p.Name), p => (p.Name, p.Tensor));
        gguf.Tensors.Select(t => t.Name).ShouldBe(hf.Keys, ignoreOrder: true);
        gguf.Tensors.Any(t => t.Name == "output.weight").ShouldBe(!tied);
        foreach (var (tensorName, dims, type, data) in gguf.Tensors)
        {
            var (hfName, tensor) = hf[tensorName];
            dims.ShouldBe(tensor.Shape.Reverse().Select(d => (long)d).ToArray(), tensorName);
            type.ShouldBe(0u);
            var expected = tensor.ToArray();
            if (arch == Architecture.Llama && hfName.Contains("q_proj")) expected = GgufExport.PermuteForInterleavedRope(expected, config.NumHeads, config.HeadDim);
            if (arch == Architecture.Llama && hfName.Contains("k_proj")) expected = GgufExport.PermuteForInterleavedRope(expected, config.NumKvHeads, config.HeadDim);
            data.ShouldBe(expected, tensorName);
        }
        gguf.Tensors.Any(t => t.Name == "blk.0.attn_q_norm.weight").ShouldBe(arch == Architecture.Qwen3);
        gguf.Tensors.Any(t => t.Name == "blk.1.attn_q.bias").ShouldBe(arch != Architecture.Qwen3);
    }

    [Fact]
    public void F16_files_keep_vectors_in_f32()
    {
        using var dir = new TempDirectory();
        var model = TestModels.Randomised(HuggingFaceExportTests.Builtin(Architecture.Qwen3), 2);
        GgufExport.Write(ExportSource.FromModel(model), dir.File("m.gguf"), ExportDType.F16);
        var gguf = GgufReader.Read(dir.File("m.gguf"));
        gguf.Metadata["general.file_type"].ShouldBe(1u);
        var hf = model.NamedParameters().ToDictionary(p => GgufExport.TensorName(p.Name), p => p.Tensor);
        foreach (var (name, dims, type, data) in gguf.Tensors)
        {
            type.ShouldBe(dims.Length == 1 ? 0u : 1u, name);
            data.ShouldBe(hf[name].ToArray().Select(v => dims.Length == 1 ? v : (float)(Half)v).ToArray(), name);
        }
    }

    [Fact]
    public void Permuted_rows_turn_rotate_half_rope_into_interleaved_rope()
    {
        // What llama.cpp's llama graph computes on the permuted projection must be the permutation of what the HF
        // model computes: rope_interleaved(P q) == P rope_half(q) for every position.
        const int heads = 3, headDim = 8;
        var rng = new SeededRandom(4);
        var q = Enumerable.Range(0, heads * headDim).Select(_ => (float)rng.NextGaussian()).ToArray();
        foreach (var position in new[] { 0, 1, 7, 300 })
        {
            var viaHf = GgufExport.PermuteForInterleavedRope(Rope(q, heads, headDim, position, interleaved: false), heads, headDim);
            var viaLlamaCpp = Rope(GgufExport.PermuteForInterleavedRope(q, heads, headDim), heads, headDim, position, interleaved: true);
            for (var i = 0; i < q.Length; i++) viaLlamaCpp[i].ShouldBe(viaHf[i], 1e-5f);
        }
    }

    private static float[] Rope(float[] x, int heads, int headDim, int position, bool interleaved)
    {
        var y = (float[])x.Clone();
        var half = headDim / 2;
        for (var h = 0; h < heads; h++)
            for (var i = 0; i < half; i++)
            {
                var angle = position * Math.Pow(10000, -2.0 * i / headDim);
                var (a, b) = interleaved ? (h * headDim + 2 * i, h * headDim + 2 * i + 1) : (h * headDim + i, h * headDim + i + half);
                var (cos, sin) = (Math.Cos(angle), Math.Sin(angle));
                y[a] = (float)(x[a] * cos - x[b] * sin);
                y[b] = (float)(x[a] * sin + x[b] * cos);
            }
        return y;
    }

    [Fact]
    public void Unsupported_models_are_refused_with_the_config_key()
    {
        var partial = Transformer.Create(HuggingFaceExportTests.Builtin(Architecture.Llama) with { PartialRotaryFactor = 0.5f }, 1);
        Should.Throw<InputFormatException>(() => GgufExport.Build(ExportSource.FromModel(partial), ExportDType.F32)).Message.ShouldContain("partial_rotary_factor");
        var wideHeads = Transformer.Create(HuggingFaceExportTests.Builtin(Architecture.Qwen2) with { HeadDim = 16 }, 1);
        Should.Throw<InputFormatException>(() => GgufExport.Build(ExportSource.FromModel(wideHeads), ExportDType.F32)).Message.ShouldContain("head_dim");
        Should.Throw<ToolSharpException>(() => GgufExport.Build(ExportSource.FromModel(Transformer.Create(HuggingFaceExportTests.Builtin(Architecture.Qwen3), 1)), ExportDType.BF16));
    }
}
