using ToolSharp.Core.Formats;
using ToolSharp.Core.Messages;

namespace ToolSharp.Evaluation.Agent;

/// <summary>What a policy is asked to answer: the conversation as the model should see it (history policy and
/// multi-turn construction already applied), its tools, how calls are expressed, and the decoding parameters.</summary>
/// <param name="Conversation">The visible conversation, tools included.</param>
/// <param name="Sampling">Temperature, top-p, seed, token limit.</param>
/// <param name="Format">Null for native tool calling (the model's own tool API); otherwise prompt mode: tools are
/// described in the system prompt in this format and calls are parsed from the generated text.</param>
/// <param name="Turn">0-based index of this assistant turn in the episode (for logs and per-turn seeds).</param>
public sealed record PolicyRequest(Conversation Conversation, SamplingParameters Sampling, ToolCallFormat? Format = null, int Turn = 0)
{
    public bool PromptMode => Format is not null;

    /// <summary>What the backend is sent: the conversation itself, or in prompt mode its plain-chat form (<see cref="Core.Formats.PromptMode.Prepare"/>).</summary>
    public Conversation Visible => PromptMode ? Core.Formats.PromptMode.Prepare(Conversation, Format!) : Conversation;
}
