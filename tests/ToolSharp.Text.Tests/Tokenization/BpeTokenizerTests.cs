using ToolSharp.Testing;
using ToolSharp.Text.Tokenization;

namespace ToolSharp.Text.Tests.Tokenization;

public class BpeTokenizerTests
{
    [RequiresDataFact(Qwen3Tokenizer.RelativePath)]
    public void Loads_the_qwen3_vocabulary_merges_and_added_tokens()
    {
        var tok = Qwen3Tokenizer.Instance;
        tok.MergeCount.ShouldBe(151_387);
        tok.VocabularySize.ShouldBe(151_669);
        tok.TokenToId("<|im_start|>").ShouldBe(151_644);
        tok.IsSpecial(151_644).ShouldBeTrue();
        tok.TokenToId("<think>").ShouldNotBeNull();
        tok.IsSpecial(tok.TokenToId("<think>")!.Value).ShouldBeFalse();
        tok.SpecialTokens.ContainsKey("<tool_call>").ShouldBeTrue();
    }

    [RequiresDataFact(Qwen3Tokenizer.RelativePath)]
    public void Special_tokens_are_atomic_only_when_allowed()
    {
        var tok = Qwen3Tokenizer.Instance;
        tok.Encode("<|im_start|>user").ShouldBe([151_644, 872]);
        var asText = tok.Encode("<|im_start|>user", allowSpecialTokens: false);
        asText.ShouldNotContain(151_644);
        tok.Decode(asText).ShouldBe("<|im_start|>user");
        // Non-special added tokens (<think>) stay atomic, as with HF's split_special_tokens.
        tok.Encode("<think>", allowSpecialTokens: false).ShouldBe([tok.TokenToId("<think>")!.Value]);
    }

    [RequiresDataFact(Qwen3Tokenizer.RelativePath)]
    public void Decode_skips_special_tokens_on_request_and_replaces_partial_utf8()
    {
        var tok = Qwen3Tokenizer.Instance;
        var ids = tok.Encode("<|im_start|>assistant\nhi<|im_end|>");
        tok.Decode(ids, skipSpecialTokens: true).ShouldBe("assistant\nhi");
        var emoji = tok.Encode("𠀀");
        emoji.Count.ShouldBeGreaterThan(1);
        tok.Decode([emoji[0]]).ShouldBe("\uFFFD");
        Should.Throw<ArgumentOutOfRangeException>(() => tok.Decode([int.MaxValue])).Message.ShouldContain("not in the vocabulary");
    }

    [RequiresDataFact(Qwen3Tokenizer.RelativePath)]
    public void Lone_surrogates_encode_as_the_replacement_character()
    {
        var tok = Qwen3Tokenizer.Instance;
        tok.Encode("a\uD800b").ShouldBe(tok.Encode("a\uFFFDb"));
        tok.Decode(tok.Encode("x\uDC00")).ShouldBe("x\uFFFD");
    }

    [RequiresDataFact(Qwen3Tokenizer.RelativePath)]
    public void Long_words_use_the_heap_merger_with_the_same_result()
    {
        var tok = Qwen3Tokenizer.Instance;
        // 1,000 dashes and 5,000 spaces are single words, far beyond the array merger's threshold.
        var dashes = new string('-', 1000);
        tok.Decode(tok.Encode(dashes)).ShouldBe(dashes);
        var spaces = "x" + new string(' ', 5000) + "y";
        tok.Decode(tok.Encode(spaces)).ShouldBe(spaces);
    }

    [Fact]
    public void Heap_and_array_mergers_agree()
    {
        // Random merge tables over a 6-symbol alphabet, long words (heap) and short words (arrays), against the textbook loop.
        for (var seed = 0; seed < 200; seed++)
        {
            var rng = new Random(seed);
            var merges = new Dictionary<long, long>();
            var next = 6;
            for (var rank = 0; rank < 40; rank++)
            {
                var l = rng.Next(next);
                var r = rng.Next(next);
                if (merges.TryAdd(BpeMerger.Key(l, r), BpeMerger.Value(rank, next))) next++;
            }
            var merger = new BpeMerger(merges);
            var word = Enumerable.Range(0, 130 + rng.Next(200)).Select(_ => rng.Next(6)).ToArray();
            var expected = ReferenceMerge(merges, [.. word]);
            var ids = word.ToArray();
            var n = merger.Merge(ids, ids.Length);
            ids.Take(n).ShouldBe(expected);
            var shortWord = word.Take(60).ToArray();
            var shortIds = shortWord.ToArray();
            var m = merger.Merge(shortIds, shortIds.Length);
            shortIds.Take(m).ShouldBe(ReferenceMerge(merges, [.. shortWord]));
        }
    }

    private static List<int> ReferenceMerge(Dictionary<long, long> merges, List<int> ids)
    {
        while (true)
        {
            var best = -1;
            var bestValue = long.MaxValue;
            for (var k = 0; k + 1 < ids.Count; k++)
            {
                if (merges.TryGetValue(BpeMerger.Key(ids[k], ids[k + 1]), out var v) && v < bestValue) { bestValue = v; best = k; }
            }
            if (best < 0) return ids;
            ids[best] = (int)(bestValue & 0xFFFFFFFF);
            ids.RemoveAt(best + 1);
        }
    }

    [Theory]
    [InlineData("cafe\u0301", "caf\u00e9")]
    [InlineData("\u1100\u1161\u11a8", "\uac01")]
    [InlineData("a\u0323\u0302", "\u1ead")]
    [InlineData("a\u0302\u0323", "\u1ead")]
    [InlineData("\u212b", "\u00c5")]
    [InlineData("plain ascii", "plain ascii")]
    [InlineData("\u0958", "\u0915\u093c")]
    public void Nfc_matches_known_normal_forms(string input, string expected) => Nfc.Normalize(input).ShouldBe(expected);
}
