using ToolSharp.Core.Formats;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Models.Training;

namespace ToolSharp.Inference.Rendering;

/// <summary>How conversations become the trained model's tokens, turn by turn, so rollouts never re-tokenise model output.</summary>
/// <remarks>
/// A rollout renders the prompt once, then only appends: the model's own sampled tokens, and after each assistant turn
/// the tokens of <see cref="Continuation"/> (the tool results or the next user message, and the opening of the next
/// assistant turn). <see cref="Demonstration"/> renders a whole conversation for supervised warm-up with a loss mask;
/// implementations must make the two agree (the turn-by-turn tokens equal the full render), or the policy would be
/// trained on token sequences it never sees.
/// </remarks>
public interface IRolloutRenderer
{
    /// <summary>Vocabulary size of the tokenizer (the model's embedding rows).</summary>
    int VocabularySize { get; }

    /// <summary>Tokens of the conversation so far followed by the generation prompt of an assistant turn.</summary>
    int[] Prompt(Conversation conversation);

    /// <summary>Tokens appended after an assistant turn that stopped at a stop token: the rest of that turn's markup, the
    /// messages of <paramref name="transcript"/> from <paramref name="fromMessage"/> on (tool results, a user message),
    /// and the next assistant generation prompt.</summary>
    int[] Continuation(Conversation transcript, int fromMessage);

    /// <summary>Token ids at which an assistant turn stops (end of turn, end of a tool call).</summary>
    IReadOnlySet<int> StopTokens { get; }

    /// <summary>The id that ends an assistant turn without tool calls.</summary>
    int EndOfTurn { get; }

    /// <summary>Reads an assistant turn's generated tokens into content, calls and parse errors.</summary>
    ParsedOutput Parse(IReadOnlyList<int> generated, IReadOnlyList<ToolSpec> tools);

    /// <summary>Text of token ids, for logs and transcripts.</summary>
    string Decode(IReadOnlyList<int> tokens);

    /// <summary>A whole conversation as tokens with a loss mask that is 1 exactly on assistant-generated tokens.</summary>
    SftExample Demonstration(Conversation conversation);
}
