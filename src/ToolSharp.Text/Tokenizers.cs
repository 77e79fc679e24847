using ToolSharp.Core.Errors;
using ToolSharp.Text.Builtin;
using ToolSharp.Text.Tokenization;

namespace ToolSharp.Text;

/// <summary>Loads any supported tokenizer.json: the built-in byte tokenizer when the file describes it, else Hugging Face byte-level BPE.</summary>
public static class Tokenizers
{
    /// <summary>The tokenizer in <paramref name="path"/> (a tokenizer.json, or a folder holding one); "builtin" names the built-in byte tokenizer.</summary>
    public static ITokenizer Load(string path)
    {
        if (path == "builtin") return BuiltinTokenizer.Instance;
        if (Directory.Exists(path)) path = Path.Combine(path, "tokenizer.json");
        if (!File.Exists(path)) throw new ToolSharpException($"{path}: file not found");
        return BuiltinTokenizer.Matches(path) ? BuiltinTokenizer.Instance : BpeTokenizer.Load(path);
    }
}
