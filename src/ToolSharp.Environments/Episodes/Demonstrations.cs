using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;

namespace ToolSharp.Environments.Episodes;

/// <summary>Assembles demonstration conversations the same way episodes open them.</summary>
public static class Demonstrations
{
    /// <summary>The system prompt (omitted when empty), then <paramref name="turns"/>, with the tools set.</summary>
    public static Conversation Build(string instructions, IReadOnlyList<ToolSpec> tools, IEnumerable<Message> turns)
    {
        List<Message> messages = instructions.Length > 0 ? [Message.System(instructions)] : [];
        messages.AddRange(turns);
        return new Conversation(messages, tools);
    }
}
