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
}
