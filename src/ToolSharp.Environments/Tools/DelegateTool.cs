using System.Text.Json;
using ToolSharp.Core.Tools;

namespace ToolSharp.Environments.Tools;

/// <summary>A tool whose behaviour is a delegate: the simplest way to write a tool by hand.</summary>
public sealed class DelegateTool : ITool
{
    private readonly Func<JsonElement, CancellationToken, ValueTask<string>> _invoke;

    public DelegateTool(ToolSpec spec, Func<JsonElement, CancellationToken, ValueTask<string>> invoke)
    {
        Spec = spec ?? throw new ArgumentNullException(nameof(spec));
        _invoke = invoke ?? throw new ArgumentNullException(nameof(invoke));
    }

    /// <summary>A tool with a synchronous body (most built-in tools: they compute, they do not wait).</summary>
    public DelegateTool(ToolSpec spec, Func<JsonElement, string> invoke)
        : this(spec, (args, _) => ValueTask.FromResult(invoke(args)))
    {
    }

    public ToolSpec Spec { get; }

    public ValueTask<string> InvokeAsync(JsonElement arguments, CancellationToken cancellationToken) => _invoke(arguments, cancellationToken);

    public override string ToString() => Spec.Name;
}
