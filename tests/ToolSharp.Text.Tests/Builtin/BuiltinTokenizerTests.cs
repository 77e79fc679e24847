using ToolSharp.Text.Tokenization;
using ToolSharp.Testing;
using ToolSharp.Text.Builtin;

namespace ToolSharp.Text.Tests.Builtin;

public class BuiltinTokenizerTests
{
    private static readonly BuiltinTokenizer T = BuiltinTokenizer.Instance;

    [Fact]
    public void Bytes_are_their_own_ids_and_specials_are_single_ids()
    {
        T.VocabularySize.ShouldBe(288);
        T.Encode("Ab").ShouldBe([65, 98]);
        T.Encode("<|user|>hi<|end|>").ShouldBe([T.Id("<|user|>"), 104, 105, T.Id("<|end|>")]);
        T.Encode("<tool_call></tool_call>").ShouldBe([263, 264]);
        T.IsSpecial(258).ShouldBeTrue();
        T.IsSpecial(65).ShouldBeFalse();
    }

    [Fact]
    public void Specials_can_be_encoded_as_plain_text()
    {
        T.Encode("<|end|>", allowSpecialTokens: false).Count.ShouldBe(7);
    }

    [Theory]
    [InlineData("plain ascii")]
    [InlineData("tabs\tand\nnewlines  ")]
    [InlineData("日本語 and émoji 😀")]
    [InlineData("<|assistant|><tool_call>{\"a\": 1}</tool_call><|end|>")]
    [InlineData("<|notaspecial|> <tool_callx>")]
    public void Decode_inverts_encode(string text) => T.Decode(T.Encode(text)).ShouldBe(text);

    [Fact]
    public void Lone_surrogates_become_replacement_characters()
    {
        T.Encode("a\uD800b").ShouldBe([97, 0xEF, 0xBF, 0xBD, 98]);
        T.Decode([0xE6, 0x97]).ShouldBe("\uFFFD"); // a truncated UTF-8 sequence decodes to U+FFFD
    }

    [Fact]
    public void Skip_special_tokens_when_decoding() =>
        T.Decode(T.Encode("<|user|>hi<|end|>"), skipSpecialTokens: true).ShouldBe("hi");

    [Fact]
    public void Tokenizer_json_round_trips_and_is_recognised()
    {
        using var dir = new TempDirectory();
        var path = dir.File("tokenizer.json");
        File.WriteAllText(path, T.ToTokenizerJson());
        BuiltinTokenizer.Matches(path).ShouldBeTrue();
        BuiltinTokenizer.Load(path).ShouldBeSameAs(T);
        var json = Core.Json.JsonValues.Parse(File.ReadAllText(path));
        json.GetProperty("model").GetProperty("vocab").GetProperty("Ġ").GetInt32().ShouldBe(32); // GPT-2 byte alphabet
        json.GetProperty("added_tokens")[2].GetProperty("content").GetString().ShouldBe("<|end|>");
        File.WriteAllText(dir.File("other.json"), "{\"model\": {\"merges\": [\"a b\"]}}");
        Should.Throw<Core.Errors.ToolSharpException>(() => BuiltinTokenizer.Load(dir.File("other.json"))).Message.ShouldContain("not the built-in byte tokenizer");
    }

    [Fact]
    public void Byte_level_alphabet_is_a_bijection()
    {
        ByteLevel.ToUnicode.Distinct().Count().ShouldBe(256);
        ByteLevel.ToUnicode[(byte)'A'].ShouldBe('A');
        ByteLevel.ToUnicode[0].ShouldBe('Ā');
    }
}
