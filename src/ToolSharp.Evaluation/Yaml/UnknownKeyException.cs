namespace ToolSharp.Evaluation.Yaml;

/// <summary>A mapping key the target type has no property for; YamlDotNet wraps it with the key's position.</summary>
public sealed class UnknownKeyException(string key, IReadOnlyList<string> known)
    : Exception($"unknown key '{key}' (known: {string.Join(", ", known)})")
{
    public string Key { get; } = key;

    public IReadOnlyList<string> Known { get; } = known;
}
