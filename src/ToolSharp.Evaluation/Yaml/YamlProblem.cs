using YamlDotNet.Core;

namespace ToolSharp.Evaluation.Yaml;

/// <summary>A node that does not have the shape its target type needs, raised during typed deserialisation at the node's position.</summary>
/// <param name="start">Where the node starts.</param>
/// <param name="end">Where it ends.</param>
/// <param name="expected">What the type needs, e.g. <c>a whole number</c>.</param>
/// <param name="found">What the file has, e.g. <c>'two'</c>.</param>
/// <param name="isKey">True when the problem is the key at <paramref name="start"/> rather than a value.</param>
public sealed class YamlProblem(Mark start, Mark end, string expected, string found, bool isKey = false)
    : YamlException(start, end, $"expected {expected}, found {found}")
{
    public string Expected { get; } = expected;

    public string Found { get; } = found;

    public bool IsKey { get; } = isKey;
}
