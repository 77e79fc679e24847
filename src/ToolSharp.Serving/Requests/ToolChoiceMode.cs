namespace ToolSharp.Serving.Requests;

/// <summary>OpenAI's <c>tool_choice</c>: what the server does with the request's tools.</summary>
public enum ToolChoiceMode
{
    /// <summary>Tools shown to the model; it decides whether to call (its calls are parsed from the output).</summary>
    Auto,
    /// <summary>Tools not shown and nothing parsed: the reply is text.</summary>
    None,
    /// <summary>Tools shown, and the turn starts with the chat format's tool-call opening, so the model must call one (it picks which).</summary>
    Required,
    /// <summary>Tools shown, and the turn starts with a call of the named function up to its arguments, which the model writes.</summary>
    Function,
}
