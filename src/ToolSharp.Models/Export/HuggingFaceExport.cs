using System.Text.Json;
using System.Text.Json.Nodes;
using ToolSharp.Models.Checkpoints;
using ToolSharp.Text.Builtin;

namespace ToolSharp.Models.Export;

/// <summary>Writes a model as a Hugging Face folder that transformers, vLLM and our own loader read.</summary>
/// <remarks>
/// Files: config.json (the architecture the weights really are — <c>Qwen3ForCausalLM</c> for the built-in presets — with
/// token ids and <c>torch_dtype</c>), model.safetensors (HF tensor names, no lm_head when tied), and for the built-in
/// tokenizer: tokenizer.json (a byte-level BPE with the 256 byte symbols as vocabulary, no merges, and the specials as
/// added tokens, so HF tokenizers give the built-in ids), tokenizer_config.json with <see cref="BuiltinChatTemplate"/>,
/// special_tokens_map.json and generation_config.json (stop at <c>&lt;|end|&gt;</c>). A run that carried a Hugging Face
/// tokenizer has its tokenizer files copied unchanged.
/// </remarks>
public static class HuggingFaceExport
{
    private static readonly string[] TokenizerFiles = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja", "generation_config.json", "vocab.json", "merges.txt"];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the folder and returns the files written, in order.</summary>
    public static IReadOnlyList<string> Write(ExportSource source, string directory, ExportDType dtype = ExportDType.F32)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        void Put(string file, string text)
        {
            File.WriteAllText(Path.Combine(directory, file), text);
            written.Add(file);
        }

        Put("config.json", ConfigJson(source, dtype));
        using (var stream = File.Create(Path.Combine(directory, "model.safetensors")))
            SafeTensors.Write(stream, source.Model.NamedParameters().Select(p => (p.Name, p.Tensor.Shape, p.Tensor.ToArray())), dtype.SafeTensorsName(), new Dictionary<string, string> { ["format"] = "pt" });
        written.Add("model.safetensors");

        if (source.UsesBuiltinTokenizer)
        {
            var t = BuiltinTokenizer.Instance;
            Put("tokenizer.json", t.ToTokenizerJson());
            Put("tokenizer_config.json", t.ToTokenizerConfigJson(BuiltinChatTemplate.Text, source.Config.MaxPositionEmbeddings));
            Put("special_tokens_map.json", new JsonObject { ["bos_token"] = BuiltinTokenizer.Bos, ["eos_token"] = BuiltinTokenizer.End, ["pad_token"] = BuiltinTokenizer.Pad }.ToJsonString(Indented));
            Put("generation_config.json", new JsonObject
            {
                ["bos_token_id"] = t.Id(BuiltinTokenizer.Bos),
                ["eos_token_id"] = t.Id(BuiltinTokenizer.End),
                ["pad_token_id"] = t.Id(BuiltinTokenizer.Pad),
            }.ToJsonString(Indented));
        }
        else
        {
            foreach (var file in TokenizerFiles)
            {
                var from = Path.Combine(source.Directory, file);
                if (!File.Exists(from)) continue;
                File.Copy(from, Path.Combine(directory, file), overwrite: true);
                written.Add(file);
            }
        }
        return written;
    }

    /// <summary>config.json: the model's own config with the built-in token ids and the dtype written.</summary>
    public static string ConfigJson(ExportSource source, ExportDType dtype)
    {
        var config = source.Config;
        if (source.UsesBuiltinTokenizer)
        {
            var t = BuiltinTokenizer.Instance;
            config = config with { BosTokenId = t.Id(BuiltinTokenizer.Bos), EosTokenId = t.Id(BuiltinTokenizer.End) };
        }
        var json = JsonNode.Parse(config.ToJson())!.AsObject();
        json["torch_dtype"] = dtype.TorchName();
        if (source.UsesBuiltinTokenizer) json["pad_token_id"] = BuiltinTokenizer.Instance.Id(BuiltinTokenizer.Pad);
        return json.ToJsonString(Indented);
    }
}
