using System.Text.Json.Nodes;
using ToolSharp.Models;
using ToolSharp.Models.Configuration;
using ToolSharp.Text.Tokenization;

namespace ToolSharp.Testing;

/// <summary>Writes Hugging Face model folders with randomly initialised weights of the real architectures and real
/// tokenizers and chat templates, small enough for tests: what a user's downloaded folder looks like, without the weights.</summary>
public static class HuggingFaceFolders
{
    public const string Qwen3Tokenizer = "tokenizers/qwen3/tokenizer.json";
    public const string Qwen3TokenizerConfig = "tokenizers/qwen3/tokenizer_config.json";
    public const string Qwen25Template = "chat-templates/Qwen-Qwen2.5-7B-Instruct.jinja";
    public const string Llama31Template = "chat-templates/meta-llama-Llama-3.1-8B-Instruct.jinja";

    /// <summary>Rows of Qwen3's embedding (151,643 tokens and 26 added ones, padded to a multiple of 128 as the real models are).</summary>
    public const int Qwen3VocabRows = 151_936;

    /// <summary>A Qwen3-shaped config (q/k norms, tied embeddings, Qwen3's token ids) with a tiny width.</summary>
    public static TransformerConfig Qwen3Config(int hidden = 64, int layers = 2) => new()
    {
        Architecture = Architecture.Qwen3,
        VocabSize = Qwen3VocabRows,
        HiddenSize = hidden,
        NumLayers = layers,
        NumHeads = 4,
        NumKvHeads = 2,
        HeadDim = hidden / 4,
        IntermediateSize = hidden * 2,
        RopeTheta = 1_000_000f,
        TieWordEmbeddings = true,
        MaxPositionEmbeddings = 4096,
        BosTokenId = 151_643,
        EosTokenId = 151_645,
    };

    /// <summary>A Qwen3 folder: config.json, model.safetensors, and the shared Qwen3 tokenizer.json and tokenizer_config.json
    /// (with its tool-calling template); <paramref name="template"/> (a file under the shared chat-templates) replaces
    /// that template as chat_template.jinja.</summary>
    /// <param name="weights">False writes config.json only (enough for the text side: tokenizer, template, special tokens).</param>
    public static string Qwen3(string directory, string? template = null, ulong seed = 1, TransformerConfig? config = null, bool weights = true)
    {
        config ??= Qwen3Config();
        Directory.CreateDirectory(directory);
        if (weights) Transformer.Create(config, seed).Save(directory);
        else File.WriteAllText(Path.Combine(directory, "config.json"), config.ToJson());
        File.Copy(SharedData.Path(Qwen3Tokenizer), Path.Combine(directory, "tokenizer.json"), overwrite: true);
        File.Copy(SharedData.Path(Qwen3TokenizerConfig), Path.Combine(directory, "tokenizer_config.json"), overwrite: true);
        if (template is not null) File.Copy(SharedData.Path(template), Path.Combine(directory, "chat_template.jinja"), overwrite: true);
        return directory;
    }

    /// <summary>A Llama-3.1 folder: a Llama config, model.safetensors, the shared Llama-3.1 template as chat_template.jinja, and
    /// a small byte-level BPE tokenizer.json written here (the 256 byte symbols, a few merges, Llama 3's pre-tokenizer
    /// pattern and its special tokens), since the real Llama 3 tokenizer is not in the shared folder.</summary>
    public static string Llama31(string directory, ulong seed = 1)
    {
        Directory.CreateDirectory(directory);
        var tokenizer = Llama3StyleTokenizerJson();
        File.WriteAllText(Path.Combine(directory, "tokenizer.json"), tokenizer);
        var size = BpeTokenizer.FromJsonText(tokenizer).VocabularySize;
        var config = new TransformerConfig
        {
            Architecture = Architecture.Llama,
            VocabSize = size,
            HiddenSize = 64,
            NumLayers = 2,
            NumHeads = 4,
            NumKvHeads = 2,
            HeadDim = 16,
            IntermediateSize = 128,
            RopeTheta = 500_000f,
            RmsNormEps = 1e-5f,
            MaxPositionEmbeddings = 8192,
            BosTokenId = size - Llama3Specials.Length,
            EosTokenId = size - Llama3Specials.Length + 4,
        };
        Transformer.Create(config, seed).Save(directory);
        File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), new JsonObject
        {
            ["bos_token"] = "<|begin_of_text|>",
            ["eos_token"] = "<|eot_id|>",
            ["tokenizer_class"] = "PreTrainedTokenizerFast",
        }.ToJsonString());
        File.WriteAllText(Path.Combine(directory, "generation_config.json"), new JsonObject
        {
            ["bos_token_id"] = config.BosTokenId,
            ["eos_token_id"] = new JsonArray(size - Llama3Specials.Length + 1, size - Llama3Specials.Length + 5, size - Llama3Specials.Length + 4),
        }.ToJsonString());
        File.Copy(SharedData.Path(Llama31Template), Path.Combine(directory, "chat_template.jinja"), overwrite: true);
        return directory;
    }

    /// <summary>Llama 3's special tokens, in the order the tokenizer written here numbers them after its vocabulary.</summary>
    public static readonly string[] Llama3Specials =
        ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>", "<|eom_id|>", "<|python_tag|>"];

    private static string Llama3StyleTokenizerJson()
    {
        var vocab = new JsonObject();
        for (var b = 0; b < 256; b++) vocab[ByteLevel.ToUnicode[b].ToString()] = b;
        // A few merges so encoding exercises them: "Ġt", "he", "Ġthe", "in".
        (string Left, string Right)[] merges = [("Ġ", "t"), ("h", "e"), ("Ġt", "he"), ("i", "n")];
        var next = 256;
        foreach (var (l, r) in merges) vocab[l + r] = next++;
        var added = new JsonArray();
        foreach (var special in Llama3Specials)
            added.Add(new JsonObject { ["id"] = next++, ["content"] = special, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true });
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = Llama3Pattern }, ["behavior"] = "Isolated", ["invert"] = false },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = false }),
            },
            ["post_processor"] = null,
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = true, ["use_regex"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["ignore_merges"] = true,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray([.. merges.Select(m => (JsonNode)new JsonArray(m.Left, m.Right))]),
            },
        };
        return root.ToJsonString();
    }

    /// <summary>Llama 3's pre-tokenizer pattern (up to three digits a word).</summary>
    private const string Llama3Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
}
