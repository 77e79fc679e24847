using ToolSharp.Core.Errors;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Episodes;
using ToolSharp.Text.Templates;

namespace ToolSharp.Inference.Rendering;

/// <summary>The drift check a run makes before it starts: a representative conversation rendered turn by turn (as
/// rollouts build it) and in full must give the same tokens, or the run refuses with one line naming the first
/// differing message and token — unless the drift is accepted.</summary>
public static class TemplateDriftCheck
{
    private static readonly ToolSpec Calculator = new("calculator", "Evaluate an arithmetic expression.",
        JsonValues.Parse("""{"type":"object","properties":{"expression":{"type":"string"}},"required":["expression"]}"""));

    /// <summary>What to render: the environment's demonstration of <paramref name="task"/> when it has demonstrations,
    /// else a synthetic dialogue with a tool call, its result, an answer, a second user turn and its answer.</summary>
    public static Conversation Sample(IEnvironment environment, EnvironmentTask task, string? instructions)
    {
        if (environment is IDemonstrationSource source) return source.Demonstration(task, instructions);
        return Synthetic(instructions);
    }

    /// <summary>The synthetic dialogue <see cref="Sample"/> falls back on.</summary>
    public static Conversation Synthetic(string? instructions = null)
    {
        var call = ToolCall.FromJson("calculator", """{"expression": "2+3"}""", "call_0_0");
        var messages = new List<Message>();
        if (!string.IsNullOrEmpty(instructions)) messages.Add(Message.System(instructions));
        messages.AddRange(
        [
            Message.User("What is 2+3?"),
            Message.Assistant(null, [call]),
            Message.Tool(call.Id, call.Name, "5"),
            Message.Assistant("Answer: 5"),
            Message.User("And 5 times 4?"),
            Message.Assistant("Answer: 20"),
        ]);
        return new Conversation(messages, [Calculator]);
    }

    /// <summary>Checks <paramref name="sample"/> and throws when it drifts and <paramref name="accept"/> is false; returns
    /// the drift (<see cref="TemplateDrift.None"/> when clean) so an accepted one can be reported.</summary>
    /// <param name="howToAccept">What the message ends with: how to accept the drift or avoid it.</param>
    public static TemplateDrift Require(IRolloutRenderer renderer, Conversation sample, bool accept, string howToAccept)
    {
        if (renderer is not ChatTemplateRolloutRenderer template) return TemplateDrift.None;
        var drift = template.CheckDrift(sample);
        if (drift.HasDrift && !accept)
            throw new ToolSharpException($"{template.Template.SourceName}: turn-by-turn rollout tokens differ from the full render: {drift.Description}; {howToAccept}");
        return drift;
    }
}
