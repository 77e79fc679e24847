using YamlDotNet.Core;

namespace ToolSharp.Evaluation.Yaml;

/// <summary>A node that does not have the shape its target type needs, raised during typed deserialisation at the node's position.</summary>
/// <param name="start">Where the node starts.</param>
/// <param name="end">Where it ends.</param>
/// <param name="expected">What the type needs, e.g. <c>a whole number</c>.</param>
/// <param name="found">What the file has, e.g. <c>'two'</c>.</param>
public sealed class YamlProblem(Mark start, Mark end, string expected, string found)
    : YamlException(start, end, $"expected {expected}, found {found}")
{
    public string Expected { get; } = expected;

    public string Found { get; } = found;
}
