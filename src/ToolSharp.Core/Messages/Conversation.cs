using ToolSharp.Core.Tools;

namespace ToolSharp.Core.Messages;

/// <summary>An immutable dialogue: the messages so far and the tools offered to the model.</summary>
public sealed record Conversation
{
    public Conversation(IReadOnlyList<Message> messages, IReadOnlyList<ToolSpec>? tools = null)
    {
        Messages = messages;
        Tools = tools ?? [];
    }

    public IReadOnlyList<Message> Messages { get; init; }

    public IReadOnlyList<ToolSpec> Tools { get; init; }

    public static Conversation Empty { get; } = new([]);

    /// <summary>A new conversation with <paramref name="message"/> appended.</summary>
    public Conversation Append(Message message) => this with { Messages = [.. Messages, message] };

    /// <summary>A new conversation with <paramref name="messages"/> appended.</summary>
    public Conversation Append(IEnumerable<Message> messages) => this with { Messages = [.. Messages, .. messages] };

    public Conversation WithMessages(IReadOnlyList<Message> messages) => this with { Messages = messages };

    public Conversation WithTools(IReadOnlyList<ToolSpec> tools) => this with { Tools = tools };

    /// <summary>Looks up an offered tool by exact name.</summary>
    public ToolSpec? FindTool(string name) => Tools.FirstOrDefault(t => t.Name == name);

    public bool Equals(Conversation? other) =>
        other is not null && Messages.SequenceEqual(other.Messages) && Tools.SequenceEqual(other.Tools);

    public override int GetHashCode() => HashCode.Combine(Messages.Count, Tools.Count);
}
