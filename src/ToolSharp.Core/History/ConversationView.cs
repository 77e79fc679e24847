using ToolSharp.Core.Formats;
using ToolSharp.Core.Messages;

namespace ToolSharp.Core.History;

/// <summary>What the model is shown each turn: a history policy followed by a multi-turn construction.</summary>
/// <param name="Policy">How earlier messages are kept.</param>
/// <param name="Construction">Native turns or one packed user message.</param>
/// <param name="CallFormat">The call syntax used inside a packed transcript (ignored for native).</param>
public sealed record ConversationView(IHistoryPolicy Policy, MultiTurnConstruction Construction, ToolCallFormat? CallFormat = null)
{
    public static ConversationView Default { get; } = new(KeepAllPolicy.Instance, MultiTurnConstruction.Native);

    /// <summary>A stable name such as <c>drop-reasoning|packed</c>.</summary>
    public string Name => $"{Policy.Name}|{Construction.ToName()}";

    public Conversation Apply(Conversation conversation)
    {
        var kept = Policy.Apply(conversation);
        return Construction == MultiTurnConstruction.Packed ? PackedTranscript.Pack(kept, CallFormat) : kept;
    }
}
