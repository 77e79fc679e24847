using ToolSharp.Core.Messages;
using ToolSharp.Evaluation.Agent;

namespace ToolSharp.Evaluation.Tests.Fakes;

/// <summary>A policy that answers from a function of the request, for loop tests without a model.</summary>
public sealed class ScriptedPolicy(Func<PolicyRequest, PolicyTurn> script, string model = "script") : IPolicy
{
    public List<PolicyRequest> Requests { get; } = [];

    public PolicyIdentity Identity { get; } = new("scripted", model);

    public Task<PolicyTurn> NextAsync(PolicyRequest request, CancellationToken cancellationToken = default)
    {
        lock (Requests) Requests.Add(request);
        return Task.FromResult(script(request));
    }

    /// <summary>Prompt-mode style: the text is parsed with the request's format (hermes when native).</summary>
    public static PolicyTurn Text(PolicyRequest request, string text)
    {
        var format = request.Format ?? Core.Formats.ToolCallFormats.Hermes;
        var parsed = format.Parse(text, request.Conversation.Tools);
        return new PolicyTurn { Message = parsed.ToAssistantMessage(), ParseErrors = parsed.Errors.Where(e => e.Kind is Core.Tools.ToolCallErrorKind.MalformedJson or Core.Tools.ToolCallErrorKind.UnterminatedTag).ToList(), RawText = text, PromptTokens = 100, CompletionTokens = 10 };
    }

    public static int ToolResults(PolicyRequest r) => r.Conversation.Messages.Count(m => m.Role == ChatRole.Tool);
}
