using ToolSharp.Core.Schema;

namespace ToolSharp.Environments.Tools;

/// <summary>Limits applied to every tool call an executor runs.</summary>
public sealed record ToolExecutionOptions
{
    public static ToolExecutionOptions Default { get; } = new();

    /// <summary>Wall-clock limit of one call; a call that takes longer fails with <c>timeout</c>.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock <see cref="Timeout"/> and call durations are measured on; tests pass a fake one.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Longest output the model sees, in characters, truncation marker included.</summary>
    public int MaxOutputChars { get; init; } = 2000;

    /// <summary>Tool calls allowed per episode (failed calls count too); null for no limit.</summary>
    public int? MaxCalls { get; init; } = 32;

    /// <summary>Check arguments against the tool's JSON Schema before invoking it (a violation is shown to the model).</summary>
    public bool ValidateArguments { get; init; } = true;

    /// <summary>How the schema check treats undeclared parameters.</summary>
    public ArgumentValidationOptions Validation { get; init; } = ArgumentValidationOptions.Default;
}
