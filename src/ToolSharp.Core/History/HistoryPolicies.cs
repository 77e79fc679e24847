using System.Globalization;
using ToolSharp.Core.Errors;

namespace ToolSharp.Core.History;

/// <summary>Parses history-policy specs (<c>keep</c>, <c>drop-reasoning</c>, <c>window:K</c>, <c>truncate:N</c>, joined with <c>+</c>).</summary>
public static class HistoryPolicies
{
    public const string Syntax = "keep | drop-reasoning | window:K | truncate:N, combined with '+'";

    public static IHistoryPolicy Parse(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec)) throw new ToolSharpException($"empty history policy (expected {Syntax})");
        var parts = spec.Split('+', StringSplitOptions.TrimEntries);
        var policies = parts.Select(ParseOne).Where(p => p is not KeepAllPolicy || parts.Length == 1).ToList();
        return policies.Count == 1 ? policies[0] : new CompositeHistoryPolicy(policies);
    }

    private static IHistoryPolicy ParseOne(string part)
    {
        var colon = part.IndexOf(':');
        var name = colon < 0 ? part : part[..colon];
        var arg = colon < 0 ? null : part[(colon + 1)..];
        return name switch
        {
            "keep" when arg is null => KeepAllPolicy.Instance,
            "drop-reasoning" when arg is null => DropEarlierReasoningPolicy.Instance,
            "window" => new WindowPolicy(Number(part, arg)),
            "truncate" => new TruncateToolResultsPolicy(Number(part, arg)),
            _ => throw new ToolSharpException($"unknown history policy '{part}' (expected {Syntax})"),
        };
    }

    private static int Number(string part, string? arg) =>
        int.TryParse(arg, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ToolSharpException($"history policy '{part}': expected a whole number after ':', found '{arg}'");
}
