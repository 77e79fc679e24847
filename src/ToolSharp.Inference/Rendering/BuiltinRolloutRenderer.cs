using ToolSharp.Core.Formats;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Models.Training;
using ToolSharp.Text.Builtin;

namespace ToolSharp.Inference.Rendering;

/// <summary>Rollout rendering for the built-in models: the built-in tokenizer and chat format.</summary>
public sealed class BuiltinRolloutRenderer : IRolloutRenderer
{
    private readonly BuiltinChatFormat _format = BuiltinChatFormat.Instance;

    public static BuiltinRolloutRenderer Instance { get; } = new();

    public int VocabularySize => BuiltinTokenizer.Size;

    public IReadOnlySet<int> StopTokens { get; } = new HashSet<int> { BuiltinChatFormat.Instance.EndOfTurn };

    public int EndOfTurn => _format.EndOfTurn;

    public int[] Prompt(Conversation conversation) => _format.Prompt(conversation);

    public int[] Continuation(Conversation transcript, int fromMessage) => _format.Continuation(transcript, fromMessage);

    public ParsedOutput Parse(IReadOnlyList<int> generated, IReadOnlyList<ToolSpec> tools) => _format.Parse(generated, tools);

    public string Decode(IReadOnlyList<int> tokens) => _format.Tokenizer.Decode(tokens);

    public SftExample Demonstration(Conversation conversation)
    {
        var (tokens, mask) = _format.Render(conversation);
        return new SftExample(tokens, mask);
    }
}
