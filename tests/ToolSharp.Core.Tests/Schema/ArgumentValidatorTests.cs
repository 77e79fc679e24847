using ToolSharp.Core.Json;
using ToolSharp.Core.Schema;
using ToolSharp.Core.Tools;

namespace ToolSharp.Core.Tests.Schema;

public class ArgumentValidatorTests
{
    private static readonly ToolSpec Spec = new("search", "Search.", JsonValues.Parse("""
    {"type": "object",
     "properties": {
       "query": {"type": "string", "minLength": 1},
       "limit": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10},
       "score": {"type": "number"},
       "mode": {"type": "string", "enum": ["fast", "exact"]},
       "filters": {"type": "object", "properties": {"region": {"type": "string"}}, "required": ["region"], "additionalProperties": false},
       "tags": {"type": "array", "items": {"type": "string"}},
       "extra": {"type": "object"},
       "maybe": {"type": ["string", "null"]}
     },
     "required": ["query"]}
    """));

    private static IReadOnlyList<ToolCallError> Check(string args, ArgumentValidationOptions? o = null) =>
        ArgumentValidator.Validate(Spec, JsonValues.Parse(args), o);

    [Fact]
    public void Valid_arguments_pass() =>
        Check("""{"query": "x", "limit": 5, "score": 3, "mode": "fast", "filters": {"region": "EU"}, "tags": ["a"], "extra": {"any": 1}, "maybe": null}""").ShouldBeEmpty();

    [Theory]
    [InlineData("""{"limit": 5}""", ToolCallErrorKind.MissingRequired, "$.query")]
    [InlineData("""{"query": 1}""", ToolCallErrorKind.WrongType, "$.query")]
    [InlineData("""{"query": "x", "limit": 2.5}""", ToolCallErrorKind.WrongType, "$.limit")]
    [InlineData("""{"query": "x", "limit": 2.0}""", ToolCallErrorKind.WrongType, "$.limit")]
    [InlineData("""{"query": "x", "mode": "slow"}""", ToolCallErrorKind.NotInEnum, "$.mode")]
    [InlineData("""{"query": "x", "bogus": 1}""", ToolCallErrorKind.UnexpectedParameter, "$.bogus")]
    [InlineData("""{"query": "x", "filters": {}}""", ToolCallErrorKind.MissingRequired, "$.filters.region")]
    [InlineData("""{"query": "x", "filters": {"region": "EU", "x": 1}}""", ToolCallErrorKind.UnexpectedParameter, "$.filters.x")]
    [InlineData("""{"query": "x", "tags": ["a", 2]}""", ToolCallErrorKind.WrongType, "$.tags[1]")]
    [InlineData("""{"query": "x", "limit": 99}""", ToolCallErrorKind.ConstraintViolation, "$.limit")]
    [InlineData("""{"query": ""}""", ToolCallErrorKind.ConstraintViolation, "$.query")]
    [InlineData("""{"query": "x", "maybe": 3}""", ToolCallErrorKind.WrongType, "$.maybe")]
    public void Violations_have_kind_and_path(string args, ToolCallErrorKind kind, string path)
    {
        var errors = Check(args);
        errors.Count.ShouldBe(1);
        errors[0].Kind.ShouldBe(kind);
        errors[0].Path.ShouldBe(path);
    }

    [Fact]
    public void Messages_name_the_parameter()
    {
        Check("""{"query": "x", "limit": "5"}""")[0].Message.ShouldBe("parameter 'limit': expected integer, found string \"5\"");
        Check("{}")[0].Message.ShouldBe("missing required parameter 'query'");
    }

    [Fact]
    public void Integers_are_accepted_for_number()
    {
        Check("""{"query": "x", "score": 7}""").ShouldBeEmpty();
    }

    [Fact]
    public void Undeclared_parameters_allowed_under_plain_json_schema()
    {
        Check("""{"query": "x", "bogus": 1}""", ArgumentValidationOptions.JsonSchema).ShouldBeEmpty();
    }

    [Fact]
    public void Non_object_arguments_are_an_invalid_structure()
    {
        var errors = ArgumentValidator.Validate(Spec, JsonValues.String("{not json"));
        errors.Single().Kind.ShouldBe(ToolCallErrorKind.InvalidStructure);
    }

    [Fact]
    public void Unknown_function_lists_available_tools()
    {
        var errors = ArgumentValidator.Validate(ToolCall.FromJson("serch", "{}"), [Spec]);
        errors.Single().Kind.ShouldBe(ToolCallErrorKind.UnknownFunction);
        errors.Single().Message.ShouldBe("unknown function 'serch' (available: search)");
    }

    [Fact]
    public void Defaults_fill_absent_parameters_only()
    {
        var filled = ArgumentValidator.ApplyDefaults(Spec, JsonValues.Parse("""{"query": "x"}"""));
        JsonValues.ToCompact(filled).ShouldBe("""{"query":"x","limit":10}""");
        var kept = ArgumentValidator.ApplyDefaults(Spec, JsonValues.Parse("""{"query": "x", "limit": 3}"""));
        JsonValues.ToCompact(kept).ShouldBe("""{"query":"x","limit":3}""");
    }

    [Fact]
    public void AnyOf_and_oneOf_are_supported()
    {
        var schema = JsonValues.Parse("""{"anyOf": [{"type": "string"}, {"type": "integer"}]}""");
        ArgumentValidator.IsValid(schema, JsonValues.Parse("3")).ShouldBeTrue();
        ArgumentValidator.IsValid(schema, JsonValues.Parse("true")).ShouldBeFalse();
        var one = JsonValues.Parse("""{"oneOf": [{"type": "number"}, {"type": "integer"}]}""");
        ArgumentValidator.IsValid(one, JsonValues.Parse("3")).ShouldBeFalse();
        ArgumentValidator.IsValid(one, JsonValues.Parse("3.5")).ShouldBeTrue();
    }

    private static readonly ToolSpec Route = new("route", "Plan a route.", JsonValues.Parse("""
    {"type": "object",
     "$defs": {
       "point": {"type": "object", "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}}, "required": ["lat", "lon"]},
       "mode": {"type": "string", "enum": ["walk", "drive"], "default": "walk"}
     },
     "definitions": {"a/b": {"type": "integer", "minimum": 0}},
     "properties": {
       "origin": {"$ref": "#/$defs/point"},
       "stops": {"type": "array", "items": {"$ref": "#/$defs/point"}},
       "mode": {"$ref": "#/$defs/mode"},
       "legs": {"$ref": "#/definitions/a~1b"}
     },
     "required": ["origin"]}
    """));

    [Theory]
    [InlineData("""{"origin": {"lat": 1, "lon": 2}, "stops": [{"lat": 3, "lon": 4}], "mode": "drive", "legs": 2}""", null, null, null)]
    [InlineData("""{"origin": {"lat": "north", "lon": 2}}""", ToolCallErrorKind.WrongType, "$.origin.lat", "parameter 'origin.lat': expected number, found string \"north\"")]
    [InlineData("""{"origin": {"lat": 1}}""", ToolCallErrorKind.MissingRequired, "$.origin.lon", "missing required parameter 'lon' in parameter 'origin'")]
    [InlineData("""{"origin": {"lat": 1, "lon": 2, "alt": 3}}""", ToolCallErrorKind.UnexpectedParameter, "$.origin.alt", "unexpected parameter 'alt' (declared: lat, lon)")]
    [InlineData("""{"origin": {"lat": 1, "lon": 2}, "stops": [{"lat": 3, "lon": 4}, {"lat": 5}]}""", ToolCallErrorKind.MissingRequired, "$.stops[1].lon", "missing required parameter 'lon' in parameter 'stops[1]'")]
    [InlineData("""{"origin": {"lat": 1, "lon": 2}, "mode": "fly"}""", ToolCallErrorKind.NotInEnum, "$.mode", "parameter 'mode': expected one of [\"walk\",\"drive\"], found \"fly\"")]
    [InlineData("""{"origin": {"lat": 1, "lon": 2}, "legs": -1}""", ToolCallErrorKind.ConstraintViolation, "$.legs", "parameter 'legs': expected a value >= 0, found -1")]
    public void References_into_defs_and_definitions_validate_like_the_inlined_schema(string args, ToolCallErrorKind? kind, string? path, string? message)
    {
        var errors = ArgumentValidator.Validate(Route, JsonValues.Parse(args));
        if (kind is null)
        {
            errors.ShouldBeEmpty();
            return;
        }
        errors.Count.ShouldBe(1);
        errors[0].Kind.ShouldBe(kind.Value);
        errors[0].Path.ShouldBe(path);
        errors[0].Message.ShouldBe(message);
    }

    [Fact]
    public void Recursive_definitions_check_every_level()
    {
        var tree = new ToolSpec("tree", "", JsonValues.Parse("""
            {"$ref": "#/$defs/node",
             "$defs": {"node": {"type": "object", "required": ["value"],
               "properties": {"value": {"type": "integer"}, "children": {"type": "array", "items": {"$ref": "#"}}}}}}
            """));
        ArgumentValidator.Validate(tree, JsonValues.Parse("""{"value": 1, "children": [{"value": 2, "children": [{"value": 3}]}]}""")).ShouldBeEmpty();
        var errors = ArgumentValidator.Validate(tree, JsonValues.Parse("""{"value": 1, "children": [{"value": 2, "children": [{"value": 3}, {"value": "4"}]}]}"""));
        errors.Single().Path.ShouldBe("$.children[0].children[1].value");
    }

    [Fact]
    public void A_reference_loop_or_a_reference_outside_the_schema_constrains_nothing()
    {
        var schema = JsonValues.Parse("""
            {"$defs": {"loop": {"$ref": "#/$defs/loop"}, "a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}},
             "properties": {"x": {"$ref": "#/$defs/loop"}, "y": {"$ref": "#/$defs/a"}, "z": {"$ref": "https://example.com/z.json"}, "w": {"$ref": "#/$defs/missing"}}}
            """);
        ArgumentValidator.IsValid(schema, JsonValues.Parse("""{"x": 1, "y": "two", "z": [3], "w": null}""")).ShouldBeTrue();
    }

    [Fact]
    public void Branches_resolve_references_against_the_whole_schema()
    {
        var schema = JsonValues.Parse("""{"$defs": {"n": {"type": "integer"}}, "anyOf": [{"$ref": "#/$defs/n"}, {"type": "string"}]}""");
        ArgumentValidator.IsValid(schema, JsonValues.Parse("3")).ShouldBeTrue();
        ArgumentValidator.IsValid(schema, JsonValues.Parse("3.5")).ShouldBeFalse();
    }

    [Fact]
    public void Defaults_are_found_through_references()
    {
        JsonValues.ToCompact(ArgumentValidator.ApplyDefaults(Route, JsonValues.Parse("""{"origin": {"lat": 1, "lon": 2}}""")))
            .ShouldBe("""{"origin":{"lat":1,"lon":2},"mode":"walk"}""");
    }
}
