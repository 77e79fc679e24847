using System.Globalization;

namespace ToolSharp.Cli.Infrastructure;

/// <summary>Reads an option's comma-separated counts (<c>1,4,16</c>), as the bench verbs take thread and stream counts.</summary>
public static class IntegerList
{
    /// <summary>The distinct integers of <paramref name="text"/>, in order; one that is not an integer from 1 to
    /// <paramref name="max"/> is a usage error naming <paramref name="option"/> and the part.</summary>
    public static int[] Parse(string text, string option, int max = int.MaxValue)
    {
        var expected = max == int.MaxValue ? "comma-separated positive integers" : $"comma-separated integers from 1 to {max}";
        var counts = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > max)
                throw new UsageException($"{option} '{text}': expected {expected}, found '{part}'");
            counts.Add(n);
        }
        return counts.Distinct().ToArray();
    }
}
