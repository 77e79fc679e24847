using ToolSharp.Core.Messages;

namespace ToolSharp.Evaluation.Policies;

/// <summary>Renders a plain conversation (prompt mode: no tool API) to the text a completion model continues.</summary>
/// <remarks>The seam for chat templates: a Jinja template of a Hugging Face model implements this and plugs into
/// <see cref="OpenAiPolicy"/> (completions endpoint) without other changes. <see cref="Hash"/> enters the run manifest.</remarks>
public interface IPromptRenderer
{
    string Name { get; }

    /// <summary>A stable hash of the template text, so results from different templates are never mixed.</summary>
    string Hash { get; }

    /// <summary>Strings that end an assistant turn.</summary>
    IReadOnlyList<string> StopSequences { get; }

    /// <summary>The conversation followed by the opening of an assistant turn.</summary>
    string Render(Conversation conversation);
}
