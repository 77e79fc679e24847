using System.Text;
using ToolSharp.Core.Tools;

namespace ToolSharp.Core.Formats;

/// <summary>What a format's parser accumulates: content text, calls, errors; plus the tools, for formats whose values are typed by the schema.</summary>
public sealed class CallParseBuilder(IReadOnlyList<ToolSpec>? tools)
{
    public IReadOnlyList<ToolSpec>? Tools { get; } = tools;

    public StringBuilder Content { get; } = new();

    public List<ToolCall> Calls { get; } = [];

    public List<ToolCallError> Errors { get; } = [];

    public void Error(ToolCallErrorKind kind, string message, int? position = null) =>
        Errors.Add(new ToolCallError(kind, message, Position: position));
}
