using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Inference.Rendering;

namespace ToolSharp.Serving.Completions;

/// <summary>The tokens that open an assistant turn with a tool call, found from the renderer alone, so <c>tool_choice</c>
/// "required" and a named function work with any chat format.</summary>
/// <remarks>
/// The renderer renders two assistant turns that differ only past the point to force: calls of two different
/// functions (for "required": the turn's common start is the call opening, e.g. <c>&lt;tool_call&gt;{"name": "</c>), or
/// one function with two different arguments (for a named function: through <c>"arguments": {</c>). Their common token
/// prefix is fed after the prompt and the model writes the rest. A format whose call does not start the turn the same
/// way for any call (or a renderer whose demonstration does not extend its prompt) yields no prefix, and the model is
/// only asked, not forced.
/// </remarks>
public static class ForcedCallPrefix
{
    public static int[] Required(IRolloutRenderer renderer, Conversation visible, int[] prompt) =>
        Common(renderer, visible, prompt, new ToolCall("x", JsonValues.EmptyObject), new ToolCall("y", JsonValues.EmptyObject));

    public static int[] Function(IRolloutRenderer renderer, Conversation visible, int[] prompt, string name) =>
        Common(renderer, visible, prompt, new ToolCall(name, JsonValues.EmptyObject), new ToolCall(name, JsonValues.Parse("""{"a": 1}""")));

    private static int[] Common(IRolloutRenderer renderer, Conversation visible, int[] prompt, ToolCall a, ToolCall b)
    {
        var first = Turn(renderer, visible, prompt, a);
        var second = Turn(renderer, visible, prompt, b);
        if (first is null || second is null) return [];
        var n = 0;
        while (n < first.Length && n < second.Length && first[n] == second[n]) n++;
        return first[..n];
    }

    /// <summary>The tokens of an assistant turn holding <paramref name="call"/>, after the prompt; null when the render does not extend the prompt.</summary>
    private static int[]? Turn(IRolloutRenderer renderer, Conversation visible, int[] prompt, ToolCall call)
    {
        var tokens = renderer.Demonstration(visible.Append(Message.Assistant(null, [call]))).Tokens;
        return tokens.Length > prompt.Length && tokens.AsSpan(0, prompt.Length).SequenceEqual(prompt) ? tokens[prompt.Length..] : null;
    }
}
