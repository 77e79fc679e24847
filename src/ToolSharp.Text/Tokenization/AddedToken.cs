namespace ToolSharp.Text.Tokenization;

/// <summary>A token matched atomically in text before pre-tokenization (an entry of tokenizer.json's <c>added_tokens</c>).</summary>
/// <param name="Special">Control tokens (<c>&lt;|im_start|&gt;</c>): skipped by decode with skipSpecialTokens, and not matched when special tokens are disallowed.</param>
/// <param name="LStrip">Whitespace left of the token is absorbed into it.</param>
/// <param name="RStrip">Whitespace right of the token is absorbed into it.</param>
public sealed record AddedToken(int Id, string Content, bool Special, bool LStrip = false, bool RStrip = false, bool Normalized = false);
