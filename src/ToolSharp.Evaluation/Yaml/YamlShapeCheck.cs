using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace ToolSharp.Evaluation.Yaml;

/// <summary>The first node deserialiser: checks that a node has the shape its target type needs (a scalar that parses
/// as the number, a list, a mapping) and raises a <see cref="YamlProblem"/> saying what was expected and found; reads
/// scalars with the invariant culture; lets a string stand for an <see cref="IYamlShorthand"/> mapping; fills
/// read-only list properties. Anything else it leaves to YamlDotNet.</summary>
public sealed class YamlShapeCheck : INodeDeserializer
{
    public bool Deserialize(IParser parser, Type expectedType, Func<IParser, Type, object?> nestedObjectDeserializer, out object? value, ObjectDeserializer rootDeserializer)
    {
        value = null;
        var type = Nullable.GetUnderlyingType(expectedType) ?? expectedType;
        var e = parser.Current!;
        if (e is AnchorAlias) return false;
        if (IsScalar(type))
        {
            if (e is not Scalar s) throw Problem(e, Expected(type));
            parser.MoveNext();
            if (IsNull(s))
            {
                if (type.IsValueType && Nullable.GetUnderlyingType(expectedType) is null) throw Problem(e, Expected(type));
                return true;
            }
            value = Parse(s, type) ?? throw Problem(e, Expected(type));
            return true;
        }
        if (ListElement(type) is { } element)
        {
            if (e is not SequenceStart) throw Problem(e, "a list");
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>)) return false;
            value = nestedObjectDeserializer(parser, typeof(List<>).MakeGenericType(element));
            return true;
        }
        if (type.IsClass && !type.IsAbstract)
        {
            var shorthand = typeof(IYamlShorthand).IsAssignableFrom(type);
            if (e is Scalar s && !IsNull(s) && shorthand)
            {
                parser.MoveNext();
                value = ((IYamlShorthand)Activator.CreateInstance(type)!).FromScalar(s.Value);
                return true;
            }
            if (e is not MappingStart) throw Problem(e, shorthand ? "a mapping or a string" : "a mapping");
        }
        return false;
    }

    /// <summary>What a node is, for "found …": <c>'text'</c>, <c>nothing</c>, <c>a list</c>, <c>a mapping</c>.</summary>
    public static string Describe(ParsingEvent e) => e switch
    {
        Scalar s when IsNull(s) => "nothing",
        Scalar s => $"'{s.Value}'",
        SequenceStart => "a list",
        MappingStart => "a mapping",
        AnchorAlias a => $"the alias '*{a.Value.Value}'",
        _ => e.GetType().Name,
    };

    /// <summary>A plain <c>~</c>, <c>null</c> or empty scalar: YAML's null.</summary>
    public static bool IsNull(Scalar s) => s.Style == ScalarStyle.Plain && s.Value is "" or "~" or "null" or "Null" or "NULL";

    private static YamlProblem Problem(ParsingEvent e, string expected) => new(e.Start, e.End, expected, Describe(e));

    private static bool IsScalar(Type t) => t == typeof(string) || t == typeof(int) || t == typeof(long) || t == typeof(double) || t == typeof(bool);

    private static string Expected(Type t) =>
        t == typeof(string) ? "a string" : t == typeof(double) ? "a number" : t == typeof(bool) ? "true or false" : "a whole number";

    private static object? Parse(Scalar s, Type t)
    {
        var v = s.Value;
        if (t == typeof(string)) return v;
        if (t == typeof(int)) return int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? i : null;
        if (t == typeof(long)) return long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : null;
        if (t == typeof(double)) return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null;
        return bool.TryParse(v, out var b) ? b : null;
    }

    private static Type? ListElement(Type t)
    {
        if (!t.IsGenericType) return null;
        var d = t.GetGenericTypeDefinition();
        return d == typeof(List<>) || d == typeof(IReadOnlyList<>) || d == typeof(IList<>) || d == typeof(IEnumerable<>) || d == typeof(IReadOnlyCollection<>)
            ? t.GetGenericArguments()[0]
            : null;
    }
}
