namespace ToolSharp.Text.Tokenization;

/// <summary>Turns text into token ids and back; implemented by the Hugging Face BPE tokenizer and the built-in byte tokenizer.</summary>
public interface ITokenizer
{
    /// <summary>Number of ids the model's embedding must cover (largest id + 1, special tokens included).</summary>
    int VocabularySize { get; }

    /// <summary>Encodes text. With <paramref name="allowSpecialTokens"/>, special-token strings in the text (e.g. <c>&lt;|im_start|&gt;</c>) become their single ids; otherwise they are encoded as ordinary text.</summary>
    IReadOnlyList<int> Encode(string text, bool allowSpecialTokens = true);

    /// <summary>Decodes ids to text. Invalid UTF-8 produced by a partial byte sequence becomes U+FFFD.</summary>
    string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = false);

    /// <summary>The id of a token string (including special tokens), or null.</summary>
    int? TokenToId(string token);

    /// <summary>The token string of an id, or null when out of range.</summary>
    string? IdToToken(int id);

    /// <summary>Special tokens by their text (role markers, tool-call tags, end of turn, …).</summary>
    IReadOnlyDictionary<string, int> SpecialTokens { get; }

    /// <summary>True when the id is a special (added, control) token.</summary>
    bool IsSpecial(int id);
}
