using ToolSharp.Core.Messages;

namespace ToolSharp.Core.History;

/// <summary>Several policies applied left to right, named by joining their names with <c>+</c>.</summary>
public sealed class CompositeHistoryPolicy(IReadOnlyList<IHistoryPolicy> policies) : IHistoryPolicy
{
    public IReadOnlyList<IHistoryPolicy> Policies { get; } = policies;

    public string Name => string.Join("+", Policies.Select(p => p.Name));

    public Conversation Apply(Conversation conversation) => Policies.Aggregate(conversation, (c, p) => p.Apply(c));
}
