using ToolSharp.Core.Messages;

namespace ToolSharp.Core.History;

/// <summary>A pure function from the full conversation to the conversation the model is shown next turn.</summary>
/// <remarks>How history is kept is an evaluation factor, so every policy has a stable <see cref="Name"/> that
/// round-trips through <see cref="HistoryPolicies.Parse"/> and can appear in sweep files and result tables.</remarks>
public interface IHistoryPolicy
{
    /// <summary>The stable spec, e.g. <c>keep</c>, <c>drop-reasoning</c>, <c>window:4</c>, <c>truncate:500</c>, <c>drop-reasoning+truncate:500</c>.</summary>
    string Name { get; }

    Conversation Apply(Conversation conversation);
}
