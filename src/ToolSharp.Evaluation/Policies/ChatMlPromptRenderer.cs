using System.Text;
using ToolSharp.Core.Hashing;
using ToolSharp.Core.Messages;

namespace ToolSharp.Evaluation.Policies;

/// <summary>The ChatML layout (<c>&lt;|im_start|&gt;role … &lt;|im_end|&gt;</c>) used by Qwen and Hermes models; the default renderer for completions endpoints.</summary>
public sealed class ChatMlPromptRenderer : IPromptRenderer
{
    public static ChatMlPromptRenderer Instance { get; } = new();

    private const string Layout = "<|im_start|>{role}\n{content}<|im_end|>\n … <|im_start|>assistant\n";

    public string Name => "chatml";

    public string Hash { get; } = StableHash.Of(Layout);

    public IReadOnlyList<string> StopSequences { get; } = ["<|im_end|>"];

    public string Render(Conversation conversation)
    {
        var sb = new StringBuilder();
        foreach (var m in conversation.Messages)
        {
            sb.Append("<|im_start|>").Append(m.Role.ToWire()).Append('\n');
            if (m.ReasoningContent is not null) sb.Append("<think>\n").Append(m.ReasoningContent).Append("\n</think>\n\n");
            sb.Append(m.Content).Append("<|im_end|>\n");
        }
        sb.Append("<|im_start|>assistant\n");
        return sb.ToString();
    }
}
