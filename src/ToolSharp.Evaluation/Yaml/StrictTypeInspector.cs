using YamlDotNet.Serialization;

namespace ToolSharp.Evaluation.Yaml;

/// <summary>A type inspector that refuses a key the target type does not have, naming the keys it does have
/// (YamlDotNet's own message names the CLR type instead).</summary>
public sealed class StrictTypeInspector(ITypeInspector inner) : ITypeInspector
{
    public IEnumerable<IPropertyDescriptor> GetProperties(Type type, object? container) => inner.GetProperties(type, container);

    public IPropertyDescriptor GetProperty(Type type, object? container, string name, bool ignoreUnmatched, bool caseInsensitivePropertyMatching) =>
        inner.GetProperty(type, container, name, ignoreUnmatched: true, caseInsensitivePropertyMatching)
        ?? throw new UnknownKeyException(name, GetProperties(type, container).Select(p => p.Name).ToList());

    public string GetEnumName(Type enumType, string name) => inner.GetEnumName(enumType, name);

    public string GetEnumValue(object enumValue) => inner.GetEnumValue(enumValue);
}
