using ToolSharp.Testing;
using ToolSharp.Text.Tokenization;

namespace ToolSharp.Text.Tests.Tokenization;

/// <summary>The shared Qwen3 tokenizer, loaded once per test run (loading parses an 11 MB file).</summary>
public static class Qwen3Tokenizer
{
    public const string RelativePath = "tokenizers/qwen3/tokenizer.json";

    private static readonly Lazy<BpeTokenizer> Loaded = new(() => BpeTokenizer.Load(SharedData.Path(RelativePath)));

    public static BpeTokenizer Instance => Loaded.Value;
}
