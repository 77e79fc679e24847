using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using ToolSharp.Core.Formats;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;
using ToolSharp.Testing;

namespace ToolSharp.Core.Tests.Formats;

/// <summary>For every format, formatting calls and parsing the text back gives the same calls, for awkward values.</summary>
public class FormatRoundTripProperties
{
    // Fragments chosen to break naive parsers: quotes, escapes, newlines, unicode, and every format's own markers.
    private static readonly string[] Fragments =
    [
        "a", "Z", "0", " ", "  ", "\"", "'", "\\", "\\n", "\n", "\t", "\r\n", "é", "日本語", "😀", "\u0001", "\u007f",
        "<tool_call>", "</tool_call>", "[TOOL_CALLS]", "<|python_tag|>", "<think>", "</think>", "</function>", "<parameter=x>",
        "{", "}", "[", "]", "(", ")", ";", ",", "=", ":", "#", "`", "```", "True", "None", "null", "42", "-1.5", "u'", "r\"",
    ];

    private static readonly Gen<string> AwkwardString =
        Gen.ListOf(Gen.Elements(Fragments)).Resize(6).Select(parts => string.Concat(parts));

    private static readonly Gen<JsonElement> Leaf = Gen.OneOf(
        AwkwardString.Select(JsonValues.String),
        Gen.Choose(-2_000_000, 2_000_000).Select(i => JsonValues.Parse(i.ToString())),
        Gen.Zip(Gen.Choose(-10_000, 10_000), Gen.Choose(0, 999)).Select(t => JsonValues.Parse($"{t.Item1}.{t.Item2}")),
        Gen.Elements("true", "false", "null").Select(JsonValues.Parse));

    private static Gen<JsonElement> Value(int depth) => depth == 0
        ? Leaf
        : Gen.Frequency(
        [
            (4, Leaf),
            (1, Gen.ListOf(Value(depth - 1)).Resize(3).Select(items => JsonValues.Build(w =>
            {
                w.WriteStartArray();
                foreach (var i in items) i.WriteTo(w);
                w.WriteEndArray();
            }))),
            (1, Gen.ListOf(Gen.Zip(AwkwardString, Value(depth - 1))).Resize(3).Select(members => ObjectOf(members.DistinctBy(m => m.Item1)))),
        ]);

    private static readonly Gen<ToolCall> Call =
        from name in Gen.Elements("f", "get_weather", "math.factorial", "a.b.c", "_private", "snake_case_name")
        from args in Gen.ListOf(Gen.Zip(Gen.Elements("a", "city", "x_1", "limit", "q", "mode", "_k"), Value(2))).Resize(4)
        select new ToolCall(name, ObjectOf(args.DistinctBy(a => a.Item1)));

    private static readonly Gen<ToolCall[]> Calls = Gen.NonEmptyListOf(Call).Resize(3).Select(l => l.ToArray());

    private static JsonElement ObjectOf(IEnumerable<(string, JsonElement)> members) => JsonValues.Build(w =>
    {
        w.WriteStartObject();
        foreach (var (k, v) in members)
        {
            w.WritePropertyName(k);
            v.WriteTo(w);
        }
        w.WriteEndObject();
    });

    /// <summary>Tools whose parameter types match the generated values (qwen3-coder needs them to type values).</summary>
    private static IReadOnlyList<ToolSpec> ToolsFor(IEnumerable<ToolCall> calls) =>
        calls.Select(c => new ToolSpec(c.Name, "", ObjectOf([("type", JsonValues.String("object")), ("properties", ObjectOf(
            c.Arguments.EnumerateObject().Select(p => (p.Name, ObjectOf([("type", JsonValues.String(JsonValues.SchemaTypeName(p.Value)))]))))) ])))
            .ToList();

    private static bool RoundTrips(ToolCallFormat format, ToolCall[] calls, IReadOnlyList<ToolSpec>? tools)
    {
        var text = format.Format(calls);
        var parsed = format.Parse(text, tools);
        var ok = parsed.Errors.Count == 0 && parsed.Reasoning is null && parsed.Content.Length == 0 &&
                 parsed.Calls.Count == calls.Length &&
                 parsed.Calls.Zip(calls).All(p => p.First.Name == p.Second.Name && JsonElement.DeepEquals(p.First.Arguments, p.Second.Arguments));
        if (!ok)
        {
            throw new ShouldAssertException($"{format.Name} round trip failed.\nText:\n{text}\nParsed: {string.Join(", ", parsed.Calls)}\nErrors: {string.Join("; ", parsed.Errors)}\nContent: {parsed.Content}");
        }
        return true;
    }

    public static TheoryData<string> JsonFamilyFormats => new("hermes", "llama3", "mistral", "json", "pythonic");

    [Theory]
    [MemberData(nameof(JsonFamilyFormats))]
    public void Format_then_parse_is_identity(string formatName)
    {
        var format = ToolCallFormats.Get(formatName);
        PropertyCheck.Run(Prop.ForAll(Calls.ToArbitrary(), calls => RoundTrips(format, calls, tools: null)));
    }

    [Fact]
    public void Format_then_parse_is_identity_with_tools_given()
    {
        // One schema per function name, so calls in a case use distinct names.
        var distinct = Calls.Select(cs => cs.DistinctBy(c => c.Name).ToArray());
        foreach (var format in ToolCallFormats.All.Where(f => f.Name != "qwen3-coder"))
            PropertyCheck.Run(Prop.ForAll(distinct.ToArbitrary(), calls => RoundTrips(format, calls, ToolsFor(calls))), maxTest: 100);
    }

    [Fact]
    public void Qwen3_coder_round_trips_values_typed_by_schema()
    {
        // The XML format has no escaping, so a value containing "</parameter>" is unrepresentable (documented).
        var representable = Calls
            .Select(cs => cs.DistinctBy(c => c.Name).ToArray())
            .Where(cs => cs.All(c => !JsonValues.ToCompact(c.Arguments).Contains("</parameter>")));
        PropertyCheck.Run(Prop.ForAll(representable.ToArbitrary(), calls => RoundTrips(ToolCallFormats.Qwen3Coder, calls, ToolsFor(calls))));
    }

    [Fact]
    public void Content_before_calls_survives()
    {
        var content = Gen.NonEmptyListOf(Gen.Elements("Let", "me", "check", "the", "weather", ".", "!", "é", "日本")).Resize(8).Select(w => string.Join(' ', w));
        foreach (var format in new[] { ToolCallFormats.Hermes, ToolCallFormats.Mistral, ToolCallFormats.Llama3, ToolCallFormats.Qwen3Coder })
        {
            PropertyCheck.Run(Prop.ForAll(Gen.Zip(content, Calls.Select(cs => cs.DistinctBy(c => c.Name).Where(c => !JsonValues.ToCompact(c.Arguments).Contains("</parameter>")).ToArray())).ToArbitrary(), t =>
            {
                var (text, calls) = t;
                var parsed = format.Parse(format.FormatTurn(text, calls), ToolsFor(calls));
                return parsed.Content == text && parsed.Calls.Count == calls.Length && parsed.Errors.Count == 0;
            }), maxTest: 100);
        }
    }

    [Fact]
    public void Reasoning_before_calls_is_separated()
    {
        PropertyCheck.Run(Prop.ForAll(Calls.ToArbitrary(), calls =>
        {
            var parsed = ToolCallFormats.Hermes.Parse("<think>\nweighing options\n</think>\n\n" + ToolCallFormats.Hermes.Format(calls));
            return parsed.Reasoning == "weighing options" && parsed.Calls.Count == calls.Length && parsed.Errors.Count == 0;
        }), maxTest: 100);
    }
}
