using System.Text.Json;
using ToolSharp.Testing;

namespace ToolSharp.Text.Tests.Tokenization;

/// <summary>Exact ids against the reference tokenizer on the committed fixture (Fixtures/make-tokenizer-fixtures.mjs).</summary>
public class BpeTokenizerFixtureTests
{
    public sealed record Case(string Group, string Text, int[] Ids);

    public static IEnumerable<Case> Cases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "tokenizer-qwen3.json")));
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var text = c.TryGetProperty("utf16", out var units)
                ? new string([.. units.EnumerateArray().Select(u => (char)u.GetInt32())])
                : c.GetProperty("text").GetString()!;
            yield return new Case(c.GetProperty("group").GetString()!, text, [.. c.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32())]);
        }
    }

    [RequiresDataFact(Qwen3Tokenizer.RelativePath)]
    public void Every_fixture_case_matches_the_reference_ids()
    {
        var tok = Qwen3Tokenizer.Instance;
        var failures = new List<string>();
        var cases = Cases().ToList();
        foreach (var c in cases)
        {
            var got = tok.Encode(c.Text).ToArray();
            if (!got.SequenceEqual(c.Ids))
                failures.Add($"[{c.Group}] {JsonSerializer.Serialize(c.Text)}: expected [{string.Join(' ', c.Ids)}], got [{string.Join(' ', got)}]");
        }
        cases.Count.ShouldBeGreaterThan(400);
        failures.ShouldBeEmpty($"{failures.Count} of {cases.Count} cases differ:\n" + string.Join("\n", failures.Take(30)));
    }

    [RequiresDataFact(Qwen3Tokenizer.RelativePath)]
    public void Decoding_the_reference_ids_gives_the_text_back()
    {
        var tok = Qwen3Tokenizer.Instance;
        var cases = Cases().Where(c => c.Group != "lone-surrogate" && ToolSharp.Text.Tokenization.Nfc.Normalize(c.Text) == c.Text).ToList();
        cases.Count.ShouldBeGreaterThan(Cases().Count() / 2, "most reference texts are NFC and decode back");
        foreach (var c in cases)
            tok.Decode(c.Ids).ShouldBe(c.Text);
    }
}
