using ToolSharp.Core.Messages;

namespace ToolSharp.Core.History;

/// <summary><c>keep</c>: the model sees everything.</summary>
public sealed class KeepAllPolicy : IHistoryPolicy
{
    public static KeepAllPolicy Instance { get; } = new();

    public string Name => "keep";

    public Conversation Apply(Conversation conversation) => conversation;
}
