using ToolSharp.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ToolSharp.Evaluation.Yaml;

/// <summary>Reads a YAML or JSON file into typed records (snake_case keys) with every problem reported as one
/// <see cref="InputFormatException"/> line: file, line, column, field path, expected vs. found.</summary>
/// <remarks>
/// Two passes over the text: <see cref="YamlDocumentMap.Scan"/> (syntax, duplicate keys, aliases, one document, and
/// the position of every field), then YamlDotNet's deserializer with <see cref="YamlShapeCheck"/> and
/// <see cref="StrictTypeInspector"/>, whose errors are placed back on fields through the map. Callers check what the
/// types cannot say (ranges, names that must exist) and report with <see cref="YamlDocumentMap.Error"/>.
/// </remarks>
public static class TypedYaml
{
    /// <summary>The document as <typeparamref name="T"/> (null for an empty document) and the map of its fields.</summary>
    /// <param name="deserializers">Extra node deserialisers for types that need them, tried before the built-in ones.</param>
    public static (T? Value, YamlDocumentMap Map) Read<T>(string text, string source, params INodeDeserializer[] deserializers) where T : class
    {
        var map = YamlDocumentMap.Scan(text, source);
        if (map.IsEmpty) return (null, map);
        var builder = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .WithTypeInspector(inner => new StrictTypeInspector(inner))
            .WithNodeDeserializer(new YamlShapeCheck(), s => s.OnTop());
        foreach (var d in deserializers) builder = builder.WithNodeDeserializer(d, s => s.OnTop());
        try
        {
            return (builder.Build().Deserialize<T>(text), map);
        }
        catch (YamlException ex)
        {
            throw Place(ex, map);
        }
    }

    private static InputFormatException Place(YamlException ex, YamlDocumentMap map)
    {
        var problem = ex as YamlProblem ?? ex.InnerException as YamlProblem;
        var (expected, found, key) = ex.InnerException switch
        {
            UnknownKeyException u => ("one of " + string.Join(", ", u.Known), $"unknown key '{u.Key}'", true),
            _ when problem is not null => (problem.Expected, problem.Found, false),
            _ => ("a value of the right type", Innermost(ex).Message.TrimEnd('.'), false),
        };
        var field = map.FieldAt(ex.Start, key) ?? "";
        return new InputFormatException(map.Source, field.Length == 0 ? "(top level)" : field, expected, found, (int)ex.Start.Line, ex, (int)ex.Start.Column);
    }

    private static Exception Innermost(Exception ex) => ex.InnerException is null ? ex : Innermost(ex.InnerException);
}
