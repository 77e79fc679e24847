using ToolSharp.Core.Errors;
using ToolSharp.Models.Checkpoints;
using ToolSharp.Models.Configuration;
using ToolSharp.Text.Builtin;
using ToolSharp.Text.Tokenization;

namespace ToolSharp.Models.Export;

/// <summary>A model to export: its directory, its weights, and whether it speaks the built-in tokenizer and chat format.</summary>
/// <remarks>
/// Loading checks what the formats written later depend on, so a bad run fails here with one line naming the file and
/// key: config.json against the weights (every tensor present with its configured shape), and config.json against the
/// tokenizer (vocab_size and the bos/eos ids of the built-in tokenizer).
/// </remarks>
public sealed class ExportSource
{
    private ExportSource(string directory, Transformer model, bool builtinTokenizer)
    {
        Directory = directory;
        Model = model;
        UsesBuiltinTokenizer = builtinTokenizer;
    }

    /// <summary>The model directory inside the run (see <see cref="RunModel.Resolve"/>).</summary>
    public string Directory { get; }

    public Transformer Model { get; }

    public TransformerConfig Config => Model.Config;

    /// <summary>True for the built-in byte tokenizer; false for a Hugging Face tokenizer.json the run carried.</summary>
    public bool UsesBuiltinTokenizer { get; }

    /// <summary>A short name for metadata: the run directory's name.</summary>
    public string Name { get; init; } = "toolsharp";

    /// <summary>Resolves and loads a run directory, checkpoint directory or model folder.</summary>
    public static ExportSource Load(string path)
    {
        var directory = RunModel.Resolve(path);
        var configPath = Path.Combine(directory, "config.json");
        var config = TransformerConfig.Load(configPath);
        var builtin = CheckTokenizer(directory, config, configPath);
        var weights = File.Exists(Path.Combine(directory, "model.safetensors")) ? Path.Combine(directory, "model.safetensors") : Path.Combine(directory, "model.safetensors.index.json");
        var model = Transformer.FromTensors(config, SafeTensors.Load(directory), weights);
        var name = Path.GetFileName(Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar));
        return new ExportSource(directory, model, builtin) { Name = string.IsNullOrEmpty(name) ? "toolsharp" : name };
    }

    /// <summary>An in-memory model with the built-in tokenizer (tests, and callers that hold a model already).</summary>
    public static ExportSource FromModel(Transformer model, string name = "toolsharp")
    {
        CheckBuiltinIds(model.Config, "config");
        return new ExportSource("", model, true) { Name = name };
    }

    private static bool CheckTokenizer(string directory, TransformerConfig config, string configPath)
    {
        var tokenizerPath = Path.Combine(directory, "tokenizer.json");
        if (!File.Exists(tokenizerPath))
        {
            if (config.VocabSize != BuiltinTokenizer.Size)
                throw new ToolSharpException($"{directory}: no tokenizer.json, and vocab_size {config.VocabSize} in config.json is not the built-in tokenizer's {BuiltinTokenizer.Size}");
            CheckBuiltinIds(config, configPath);
            return true;
        }
        if (BuiltinTokenizer.Matches(tokenizerPath))
        {
            CheckBuiltinIds(config, configPath);
            return true;
        }
        var tokenizer = BpeTokenizer.Load(tokenizerPath);
        if (tokenizer.VocabularySize > config.VocabSize)
            throw new InputFormatException(configPath, "vocab_size", $"at least {tokenizer.VocabularySize} (the size of {tokenizerPath})", config.VocabSize.ToString());
        return false;
    }

    private static void CheckBuiltinIds(TransformerConfig config, string source)
    {
        var t = BuiltinTokenizer.Instance;
        if (config.VocabSize != BuiltinTokenizer.Size)
            throw new InputFormatException(source, "vocab_size", $"{BuiltinTokenizer.Size} (the built-in tokenizer's size)", config.VocabSize.ToString());
        if (config.BosTokenId is { } bos && bos != t.Id(BuiltinTokenizer.Bos))
            throw new InputFormatException(source, "bos_token_id", $"{t.Id(BuiltinTokenizer.Bos)} ({BuiltinTokenizer.Bos})", bos.ToString());
        if (config.EosTokenId is { } eos && eos != t.Id(BuiltinTokenizer.End))
            throw new InputFormatException(source, "eos_token_id", $"{t.Id(BuiltinTokenizer.End)} ({BuiltinTokenizer.End})", eos.ToString());
    }
}
