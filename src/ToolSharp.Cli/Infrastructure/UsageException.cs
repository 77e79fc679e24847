using ToolSharp.Core.Errors;

namespace ToolSharp.Cli.Infrastructure;

/// <summary>The command line itself is wrong (unknown value, conflicting options): exit code 2.</summary>
public sealed class UsageException(string message) : ToolSharpException(message);
