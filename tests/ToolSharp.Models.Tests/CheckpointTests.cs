using System.Text.Json.Nodes;
using ToolSharp.Core.Errors;
using ToolSharp.Models.Checkpoints;
using ToolSharp.Models.Configuration;
using ToolSharp.Tensors.Memory;
using ToolSharp.Testing;

namespace ToolSharp.Models.Tests;

public class CheckpointTests
{
    private static float[] AllLogits(Transformer model, int[] tokens)
    {
        using var scope = new TensorScope();
        return model.Logits([tokens]).ToArray();
    }

    [Theory]
    [InlineData(Architecture.Llama, false)]
    [InlineData(Architecture.Qwen2, false)]
    [InlineData(Architecture.Qwen3, true)]
    public void Save_then_load_gives_identical_logits(Architecture arch, bool tied)
    {
        using var dir = new TempDirectory();
        var model = TestModels.Randomised(TestModels.Micro(arch, tied), 1);
        model.Save(dir.Path);
        var loaded = Transformer.Load(dir.Path);
        loaded.Config.ShouldBe(model.Config);
        AllLogits(loaded, [1, 2, 3, 4]).ShouldBe(AllLogits(model, [1, 2, 3, 4]));
    }

    [Fact]
    public void Config_json_round_trips_and_uses_hf_keys()
    {
        var config = TestModels.Micro(Architecture.Qwen2);
        var json = config.ToJson();
        json.ShouldContain("\"model_type\": \"qwen2\"");
        json.ShouldContain("\"num_key_value_heads\": 2");
        TransformerConfig.FromJson(Core.Json.JsonValues.Parse(json)).ShouldBe(config);
    }

    [Fact]
    public void Bad_configs_name_the_field()
    {
        var bad = Core.Json.JsonValues.Parse("""{"model_type": "gpt2", "vocab_size": 10}""");
        Should.Throw<InputFormatException>(() => TransformerConfig.FromJson(bad, "c.json")).Message.ShouldBe("c.json: model_type: expected llama, qwen2 or qwen3, found 'gpt2'");
        var heads = Core.Json.JsonValues.Parse("""{"model_type": "llama", "vocab_size": 10, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 3, "intermediate_size": 8}""");
        Should.Throw<InputFormatException>(() => TransformerConfig.FromJson(heads, "c.json")).Field.ShouldBe("num_key_value_heads");
    }

    [Theory]
    [InlineData(""" "rope_scaling": {"rope_type": "llama3", "factor": 8.0} """, "rope_scaling: expected null (RoPE scaling, such as Llama 3.1's llama3 or YaRN, is not supported), found {\"rope_type\":\"llama3\",\"factor\":8.0}")]
    [InlineData(""" "use_sliding_window": true, "sliding_window": 4096 """, "use_sliding_window: expected false (sliding-window attention is not supported), found true")]
    [InlineData(""" "mlp_bias": true """, "mlp_bias: expected false (MLP biases are not supported), found true")]
    [InlineData(""" "quantization_config": {"quant_method": "awq", "bits": 4} """, "quantization_config: expected none (quantized weights are not supported; use a float32, float16 or bfloat16 checkpoint), found {\"quant_method\":\"awq\",\"bits\":4}")]
    [InlineData(""" "layer_types": ["full_attention", "sliding_attention"] """, "layer_types[1]: expected 'full_attention' (other attention kinds are not supported), found \"sliding_attention\"")]
    [InlineData(""" "hidden_act": "gelu" """, "hidden_act: expected silu, found 'gelu'")]
    public void Unsupported_settings_of_real_configs_are_refused_naming_the_field(string extra, string message)
    {
        var json = With(TestModels.Micro(Architecture.Qwen2), extra);
        Should.Throw<InputFormatException>(() => TransformerConfig.FromJson(Core.Json.JsonValues.Parse(json), "c.json")).Message.ShouldBe("c.json: " + message);
    }

    [Fact]
    public void Settings_that_change_nothing_are_accepted()
    {
        var config = TestModels.Micro(Architecture.Qwen3);
        var json = With(config, """ "rope_scaling": {"rope_type": "default"}, "use_sliding_window": false, "mlp_bias": false, "quantization_config": null, "layer_types": ["full_attention", "full_attention"] """);
        TransformerConfig.FromJson(Core.Json.JsonValues.Parse(json)).ShouldBe(config);
    }

    /// <summary>The config's config.json with the <paramref name="fields"/> (JSON members) set.</summary>
    private static string With(TransformerConfig config, string fields)
    {
        var o = JsonNode.Parse(config.ToJson())!.AsObject();
        foreach (var (key, value) in JsonNode.Parse("{" + fields + "}")!.AsObject().ToList()) o[key] = value?.DeepClone();
        return o.ToJsonString();
    }

    [Fact]
    public void Shape_mismatch_names_the_tensor()
    {
        using var dir = new TempDirectory();
        TestModels.Randomised(TestModels.Micro(), 2).Save(dir.Path);
        File.WriteAllText(Path.Combine(dir.Path, "config.json"), (TestModels.Micro() with { IntermediateSize = 64 }).ToJson());
        var ex = Should.Throw<InputFormatException>(() => Transformer.Load(dir.Path));
        ex.Message.ShouldContain("model.layers.0.mlp.gate_proj.weight: expected shape [64, 32] (from config.json), found [48, 32]");
    }

    [Fact]
    public void Bf16_f16_and_sharded_files_load_as_float32()
    {
        using var dir = new TempDirectory();
        var tensors = new List<(string, int[], float[])> { ("a", [2, 2], [1f, -2.5f, 3.140625f, 0f]), ("b", [3], [0.5f, 1e-3f, 65504f]) };
        foreach (var dtype in new[] { "BF16", "F16" })
        {
            var path = dir.File($"{dtype}.safetensors");
            using (var s = File.Create(path)) SafeTensors.Write(s, tensors, dtype);
            var loaded = SafeTensors.Load(path);
            loaded["a"].Data.ShouldBe([1f, -2.5f, 3.140625f, 0f]);
            loaded["b"].Shape.ShouldBe([3]);
            loaded["b"].Data[0].ShouldBe(0.5f);
            loaded["b"].Data[1].ShouldBe(1e-3f, 1e-5f);
        }
        Directory.CreateDirectory(dir.File("sharded"));
        var model = TestModels.Randomised(TestModels.Micro(), 3);
        File.WriteAllText(dir.File("sharded/config.json"), model.Config.ToJson());
        SafeTensors.WriteSharded(dir.File("sharded"), model.NamedParameters().Select(p => (p.Name, p.Tensor.Shape, p.Tensor.ToArray())), maxShardBytes: 8000);
        Directory.GetFiles(dir.File("sharded"), "model-*-of-*.safetensors").Length.ShouldBeGreaterThan(2);
        AllLogits(Transformer.Load(dir.File("sharded")), [5, 6]).ShouldBe(AllLogits(model, [5, 6]));
    }

    [Fact]
    public void Safetensors_header_is_padded_and_sorted_like_the_reference()
    {
        using var stream = new MemoryStream();
        SafeTensors.Write(stream, [("z", [1], [1f]), ("a", [1], [2f])]);
        var bytes = stream.ToArray();
        var headerLength = BitConverter.ToUInt64(bytes, 0);
        (headerLength % 8).ShouldBe(0UL);
        var header = System.Text.Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        header.IndexOf("\"a\"").ShouldBeLessThan(header.IndexOf("\"z\""));
    }

    [Fact]
    public void Checkpoint_pointer_moves_only_after_a_complete_write()
    {
        using var dir = new TempDirectory();
        var store = new CheckpointStore(dir.Path, keep: 2);
        store.Latest.ShouldBeNull();
        var model = TestModels.Randomised(TestModels.Micro(), 4);
        store.Save(1, model, null, new JsonObject());
        store.Save(2, model, null, new JsonObject());
        store.Save(3, model, null, new JsonObject { ["x"] = 1 });
        Path.GetFileName(store.Latest).ShouldBe("step-00000003");
        Directory.GetDirectories(store.Directory).Length.ShouldBe(2);
        // a crash mid-write leaves a temp dir that is ignored
        Directory.CreateDirectory(Path.Combine(store.Directory, ".step-00000004.tmp-1"));
        Path.GetFileName(store.Latest).ShouldBe("step-00000003");
    }
}
