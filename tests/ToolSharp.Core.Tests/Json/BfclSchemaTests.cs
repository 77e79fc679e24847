using ToolSharp.Core.WireFormats;
using System.Text.Json;
using ToolSharp.Core.Errors;
using ToolSharp.Core.Json;
using ToolSharp.Testing;

namespace ToolSharp.Core.Tests.Json;

public class BfclSchemaTests
{
    [Fact]
    public void Maps_bfcl_aliases_recursively()
    {
        var spec = BfclSchema.ToToolSpec(JsonValues.Parse("""
        {"name": "a.b", "description": "d", "parameters": {"type": "dict", "properties": {
            "p": {"type": "tuple", "items": {"type": "float"}},
            "q": {"type": "dict", "properties": {"r": {"type": "any"}}},
            "s": {"type": "string", "enum": ["x", "y"], "default": "x"}},
          "required": ["p"]}}
        """));
        var text = JsonValues.ToCompact(spec.Parameters);
        text.ShouldBe("""{"type":"object","properties":{"p":{"type":"array","items":{"type":"number"}},"q":{"type":"object","properties":{"r":{}}},"s":{"type":"string","enum":["x","y"],"default":"x"}},"required":["p"]}""");
        spec.Name.ShouldBe("a.b");
    }

    [Fact]
    public void Unknown_type_names_are_reported_with_their_path()
    {
        var ex = Should.Throw<InputFormatException>(() => BfclSchema.ToToolSpec(
            JsonValues.Parse("""{"name": "f", "parameters": {"type": "dict", "properties": {"x": {"type": "quaternion"}}}}"""), "doc.json"));
        ex.Field.ShouldBe("function.parameters.properties.x.type");
        ex.Found.ShouldBe("'quaternion'");
    }

    private static readonly string[] CategoryNames = ["simple_python", "multiple", "parallel", "parallel_multiple", "irrelevance"];

    public static TheoryData<string> Categories => new(CategoryNames);

    [RequiresDataTheory("datasets/bfcl")]
    [MemberData(nameof(Categories))]
    public void Every_bfcl_entry_loads_into_tool_specs(string category)
    {
        var path = SharedData.Path("datasets", "bfcl", $"BFCL_v4_{category}.json");
        var entries = 0;
        var specs = 0;
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var entry = JsonValues.Parse(line);
            var i = 0;
            foreach (var fn in entry.GetProperty("function").EnumerateArray())
            {
                var spec = BfclSchema.ToToolSpec(fn, $"{path}:{lineNo}", $"function[{i++}]");
                spec.Parameters.GetProperty("type").GetString().ShouldBe("object");
                specs++;
            }
            entries++;
        }
        entries.ShouldBeGreaterThan(150);
        specs.ShouldBeGreaterThanOrEqualTo(entries);
    }

    [RequiresDataFact("datasets/bfcl")]
    public void All_five_categories_hold_more_than_1200_entries()
    {
        var total = CategoryNames.Sum(c => File.ReadLines(SharedData.Path("datasets", "bfcl", $"BFCL_v4_{c}.json")).Count(l => l.Trim().Length > 0));
        total.ShouldBeGreaterThan(1200);
    }
}
