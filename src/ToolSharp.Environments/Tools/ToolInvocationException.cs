namespace ToolSharp.Environments.Tools;

/// <summary>A tool's own report that a call failed; its message is shown to the model verbatim.</summary>
/// <remarks>Throw it for expected failures (unknown country, division by zero, a rejected SQL statement): the model
/// sees <c>Error: message</c>, and the call is recorded as <see cref="Core.Tools.ToolCallErrorKind.ExecutionFailed"/>.</remarks>
public sealed class ToolInvocationException(string message) : Exception(message);
