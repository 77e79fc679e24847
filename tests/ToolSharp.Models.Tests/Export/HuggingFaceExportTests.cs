using System.Text.Json;
using ToolSharp.Core.Errors;
using ToolSharp.Models.Checkpoints;
using ToolSharp.Models.Configuration;
using ToolSharp.Models.Export;
using ToolSharp.Testing;
using ToolSharp.Text.Builtin;
using ToolSharp.Text.Templates;
using ToolSharp.Text.Tokenization;

namespace ToolSharp.Models.Tests.Export;

public class HuggingFaceExportTests
{
    internal static TransformerConfig Builtin(Architecture arch, bool tied = true, bool bias = false) =>
        TestModels.Micro(arch, tied) with { VocabSize = BuiltinTokenizer.Size, AttentionBias = bias, RopeTheta = 5000f, MaxPositionEmbeddings = 512 };

    private static readonly int[][] Sequences = [[256 + 4, 72, 105, 258, 256 + 5], [1, 2, 3, 200, 255, 287, 0]];

    [Theory]
    [InlineData(Architecture.Qwen3, true, false)]
    [InlineData(Architecture.Llama, false, true)]
    [InlineData(Architecture.Qwen2, false, false)]
    public void Exported_folder_loads_back_with_identical_logits(Architecture arch, bool tied, bool bias)
    {
        using var dir = new TempDirectory();
        var model = TestModels.Randomised(Builtin(arch, tied, bias), 11);
        var written = HuggingFaceExport.Write(ExportSource.FromModel(model), dir.Path);
        written.ShouldBe(["config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json"]);

        var loaded = Transformer.Load(dir.Path);
        loaded.Config.ShouldBe(model.Config with { BosTokenId = 257, EosTokenId = 258 });
        loaded.Logits(Sequences).ToArray().ShouldBe(model.Logits(Sequences).ToArray());
        ExportSource.Load(dir.Path).UsesBuiltinTokenizer.ShouldBeTrue();
    }

    [Fact]
    public void Config_json_has_the_keys_transformers_and_vllm_read()
    {
        using var dir = new TempDirectory();
        HuggingFaceExport.Write(ExportSource.FromModel(Transformer.Create(Builtin(Architecture.Qwen3), 3)), dir.Path, ExportDType.BF16);
        using var config = JsonDocument.Parse(File.ReadAllText(dir.File("config.json")));
        var c = config.RootElement;
        c.GetProperty("architectures")[0].GetString().ShouldBe("Qwen3ForCausalLM");
        c.GetProperty("model_type").GetString().ShouldBe("qwen3");
        c.GetProperty("vocab_size").GetInt32().ShouldBe(288);
        c.GetProperty("rope_theta").GetDouble().ShouldBe(5000);
        c.GetProperty("tie_word_embeddings").GetBoolean().ShouldBeTrue();
        c.GetProperty("torch_dtype").GetString().ShouldBe("bfloat16");
        c.GetProperty("head_dim").GetInt32().ShouldBe(8);
        c.GetProperty("bos_token_id").GetInt32().ShouldBe(257);
        c.GetProperty("eos_token_id").GetInt32().ShouldBe(258);
        c.GetProperty("pad_token_id").GetInt32().ShouldBe(256);
        using var generation = JsonDocument.Parse(File.ReadAllText(dir.File("generation_config.json")));
        generation.RootElement.GetProperty("eos_token_id").GetInt32().ShouldBe(258);
        SafeTensors.Load(dir.Path).ContainsKey("lm_head.weight").ShouldBeFalse();
        File.ReadAllText(dir.File("model.safetensors")).ShouldContain("\"dtype\":\"BF16\"");
    }

    [Fact]
    public void Tokenizer_files_reproduce_the_built_in_ids_and_chat_format()
    {
        using var dir = new TempDirectory();
        HuggingFaceExport.Write(ExportSource.FromModel(Transformer.Create(Builtin(Architecture.Qwen3), 3)), dir.Path);
        var bpe = BpeTokenizer.Load(dir.File("tokenizer.json"));
        var template = ChatTemplate.FromTokenizerConfig(dir.File("tokenizer_config.json"));
        template.EosToken.ShouldBe("<|end|>");
        foreach (var conversation in SampleConversations.All(randomCount: 20))
        {
            var text = template.Render(conversation, addGenerationPrompt: true);
            text.ShouldBe(BuiltinChatFormat.Instance.RenderText(conversation, addGenerationPrompt: true));
            bpe.Encode(text).ShouldBe(BuiltinChatFormat.Instance.Prompt(conversation));
        }
        using var config = JsonDocument.Parse(File.ReadAllText(dir.File("tokenizer_config.json")));
        config.RootElement.GetProperty("clean_up_tokenization_spaces").GetBoolean().ShouldBeFalse();
        config.RootElement.GetProperty("added_tokens_decoder").GetProperty("263").GetProperty("content").GetString().ShouldBe("<tool_call>");
    }

    [Fact]
    public void F16_weights_are_the_rounded_values()
    {
        using var dir = new TempDirectory();
        var model = TestModels.Randomised(Builtin(Architecture.Qwen3), 5);
        HuggingFaceExport.Write(ExportSource.FromModel(model), dir.Path, ExportDType.F16);
        var loaded = Transformer.Load(dir.Path);
        loaded.NamedParameters().Select(p => p.Name).ShouldBe(model.NamedParameters().Select(p => p.Name));
        foreach (var ((name, original), (_, back)) in model.NamedParameters().Zip(loaded.NamedParameters()))
            back.ToArray().ShouldBe(original.ToArray().Select(v => (float)(Half)v).ToArray(), name);
    }

    [Fact]
    public void A_run_directory_resolves_to_its_final_model_or_latest_checkpoint()
    {
        using var dir = new TempDirectory();
        var model = Transformer.Create(Builtin(Architecture.Qwen3), 3);
        var warmup = new CheckpointStore(Path.Combine(dir.Path, "warmup")).Save(10, model, null, new());
        RunModel.Resolve(dir.Path).ShouldBe(warmup);
        var rl = new CheckpointStore(dir.Path).Save(4, model, null, new());
        RunModel.Resolve(dir.Path).ShouldBe(rl);
        model.Save(dir.Path);
        RunModel.Resolve(dir.Path).ShouldBe(dir.Path);
        RunModel.Resolve(rl).ShouldBe(rl);
        Should.Throw<ToolSharpException>(() => RunModel.Resolve(dir.File("nothing"))).Message.ShouldContain("no such run");
        Directory.CreateDirectory(dir.File("empty"));
        Should.Throw<ToolSharpException>(() => RunModel.Resolve(dir.File("empty"))).Message.ShouldContain("no model here");
    }

    [Fact]
    public void Bad_runs_fail_with_one_line_naming_the_file_and_key()
    {
        using var dir = new TempDirectory();
        var model = Transformer.Create(Builtin(Architecture.Qwen3), 3);
        var tensors = model.NamedParameters().Where(p => p.Name != "model.layers.1.mlp.up_proj.weight").Select(p => (p.Name, p.Tensor.Shape, p.Tensor.ToArray()));
        File.WriteAllText(dir.File("config.json"), model.Config.ToJson());
        using (var stream = File.Create(dir.File("model.safetensors"))) SafeTensors.Write(stream, tensors);
        var missing = Should.Throw<InputFormatException>(() => ExportSource.Load(dir.Path)).Message;
        missing.ShouldContain("model.safetensors");
        missing.ShouldContain("model.layers.1.mlp.up_proj.weight");
        missing.ShouldNotContain("\n");

        using var other = new TempDirectory();
        var big = Transformer.Create(Builtin(Architecture.Qwen3) with { VocabSize = 300 }, 3);
        big.Save(other.Path);
        File.WriteAllText(other.File("tokenizer.json"), BuiltinTokenizer.Instance.ToTokenizerJson());
        var vocab = Should.Throw<InputFormatException>(() => ExportSource.Load(other.Path)).Message;
        vocab.ShouldContain("config.json");
        vocab.ShouldContain("vocab_size");

        File.WriteAllText(dir.File("config.json"), (Builtin(Architecture.Qwen3) with { EosTokenId = 3 }).ToJson());
        Should.Throw<InputFormatException>(() => ExportSource.Load(dir.Path)).Message.ShouldContain("eos_token_id");
    }
}
