using System.Text.Json;
using ToolSharp.Core.Tools;

namespace ToolSharp.Environments.Tools;

/// <summary>A tool an agent can call: its spec (name, description, JSON Schema of the arguments) and an async invocation.</summary>
/// <remarks>
/// Implementations return the text the model sees. A failure the model should read (a country that does not exist, a
/// division by zero) is thrown as <see cref="ToolInvocationException"/>; <see cref="ToolExecutor"/> turns it, and any
/// other exception, timeout or schema violation, into a <see cref="ToolResult"/> with a <see cref="ToolCallError"/>.
/// Tools are called through an executor, which validates the arguments against <see cref="Spec"/> first.
/// </remarks>
public interface ITool
{
    /// <summary>Name, description and parameter schema, as offered to the model.</summary>
    ToolSpec Spec { get; }

    /// <summary>Runs the tool on JSON arguments (an object that already passed schema validation) and returns its output text.</summary>
    ValueTask<string> InvokeAsync(JsonElement arguments, CancellationToken cancellationToken);
}
