using ToolSharp.Core.Formats;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Evaluation.Agent;
using AiRole = Microsoft.Extensions.AI.ChatRole;
using Role = ToolSharp.Core.Messages.ChatRole;

namespace ToolSharp.Evaluation.Policies;

/// <summary>A policy over any Microsoft.Extensions.AI <see cref="IChatClient"/> (Azure, Ollama, OpenAI, or a middleware pipeline).</summary>
/// <remarks>Tools are passed as declarations only (<see cref="AIFunctionFactory.CreateDeclaration"/>), so a client with
/// automatic function invocation cannot run them itself: the agent loop executes every call, under the environment's
/// limits, and records it. Retries are the client pipeline's business; a failure surfaces as <see cref="PolicyException"/>.</remarks>
public sealed class ChatClientPolicy(IChatClient client, string model) : IPolicy
{
    public PolicyIdentity Identity { get; } = new("chat-client", model);

    public async Task<PolicyTurn> NextAsync(PolicyRequest request, CancellationToken cancellationToken = default)
    {
        var visible = request.Visible;
        var options = new ChatOptions
        {
            ModelId = model,
            Temperature = (float?)request.Sampling.Temperature,
            TopP = (float?)request.Sampling.TopP,
            Seed = request.Sampling.Seed,
            MaxOutputTokens = request.Sampling.MaxTokens,
        };
        if (!request.PromptMode && visible.Tools.Count > 0)
            options.Tools = visible.Tools.Select(t => (AITool)AIFunctionFactory.CreateDeclaration(t.Name, t.Description, t.Parameters)).ToList();

        var clock = Stopwatch.StartNew();
        ChatResponse response;
        try
        {
            response = await client.GetResponseAsync(visible.Messages.Select(ToAi).ToList(), options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new PolicyException($"chat client for '{model}' failed: {ex.Message}", ex);
        }

        var reply = response.Messages.LastOrDefault(m => m.Role == AiRole.Assistant) ?? new ChatMessage(AiRole.Assistant, "");
        var text = string.Concat(reply.Contents.OfType<TextContent>().Select(c => c.Text));
        var reasoning = reply.Contents.OfType<TextReasoningContent>().Select(c => c.Text).FirstOrDefault();
        Message message;
        IReadOnlyList<ToolCallError> errors = [];
        if (request.PromptMode)
        {
            var parsed = PromptMode.Read(text, request.Format!, request.Conversation.Tools);
            message = parsed.ToAssistantMessage();
            errors = parsed.UnreadableCalls;
        }
        else
        {
            var calls = reply.Contents.OfType<FunctionCallContent>()
                .Select(c => new ToolCall(c.Name, JsonSerializer.SerializeToElement(c.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions), c.CallId))
                .ToList();
            message = Message.Assistant(text.Length == 0 && calls.Count > 0 ? null : text, calls, reasoning);
        }
        return new PolicyTurn
        {
            Message = message,
            ParseErrors = errors,
            RawText = request.PromptMode ? text : null,
            PromptTokens = (int?)response.Usage?.InputTokenCount,
            CompletionTokens = (int?)response.Usage?.OutputTokenCount,
            FinishReason = response.FinishReason?.Value,
            Latency = clock.Elapsed,
        };
    }

    private static ChatMessage ToAi(Message m)
    {
        switch (m.Role)
        {
            case Role.System: return new ChatMessage(AiRole.System, m.Content ?? "");
            case Role.User: return new ChatMessage(AiRole.User, m.Content ?? "");
            case Role.Tool: return new ChatMessage(AiRole.Tool, [new FunctionResultContent(m.ToolCallId ?? "", m.Content ?? "")]);
            default:
                var contents = new List<AIContent>();
                if (!string.IsNullOrEmpty(m.Content)) contents.Add(new TextContent(m.Content));
                foreach (var c in m.ToolCalls)
                {
                    var args = c.HasObjectArguments
                        ? c.Arguments.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone())
                        : new Dictionary<string, object?> { ["_raw"] = JsonValues.ToCompact(c.Arguments) };
                    contents.Add(new FunctionCallContent(c.Id ?? "", c.Name, args));
                }
                return new ChatMessage(AiRole.Assistant, contents);
        }
    }
}
