using ToolSharp.Core.Errors;

namespace ToolSharp.Evaluation.Agent;

/// <summary>The model backend failed (outage, exhausted retries, unusable response): the episode did not happen and is not scored.</summary>
public sealed class PolicyException : ToolSharpException
{
    public PolicyException(string message, Exception? inner = null) : base(message, inner ?? new Exception(message)) { }
}
