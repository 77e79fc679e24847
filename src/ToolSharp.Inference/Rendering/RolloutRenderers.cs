using ToolSharp.Core.Errors;
using ToolSharp.Models.Configuration;
using ToolSharp.Text.Builtin;

namespace ToolSharp.Inference.Rendering;

/// <summary>Chooses how a model directory's rollouts are rendered: the built-in chat format for the built-in byte
/// tokenizer, the folder's own chat template and tokenizer for a Hugging Face folder.</summary>
public static class RolloutRenderers
{
    /// <summary>True when <paramref name="directory"/> speaks the built-in tokenizer: no tokenizer.json, or the built-in one.</summary>
    public static bool UsesBuiltinTokenizer(string directory)
    {
        var path = Path.Combine(directory, ChatTemplateFolder.TokenizerFile);
        return !File.Exists(path) || BuiltinTokenizer.Matches(path);
    }

    /// <summary>The renderer for the model in <paramref name="directory"/> (its config.json already read into <paramref name="config"/>).</summary>
    public static IRolloutRenderer ForModel(string directory, TransformerConfig config, ChatTemplateOptions? options = null)
    {
        options ??= ChatTemplateOptions.Default;
        var configPath = Path.Combine(directory, "config.json");
        if (!UsesBuiltinTokenizer(directory)) return ChatTemplateFolder.Load(directory, config, configPath, options);
        if (config.VocabSize != BuiltinTokenizer.Size)
            throw new InputFormatException(configPath, "vocab_size", $"{BuiltinTokenizer.Size} (the built-in tokenizer's size; a folder with another vocabulary needs its own tokenizer.json and chat template)", config.VocabSize.ToString());
        if (options.ChangesRendering)
            throw new ToolSharpException($"{directory}: '#{options}' applies to folders with their own tokenizer.json and chat template; this one uses the built-in tokenizer and chat format");
        return BuiltinRolloutRenderer.Instance;
    }
}
