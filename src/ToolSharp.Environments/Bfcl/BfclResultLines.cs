using System.Text.Json;
using ToolSharp.Core.Json;

namespace ToolSharp.Environments.Bfcl;

/// <summary>The lines of a BFCL results file: one JSON object with a string <c>id</c> per line; blank lines skipped,
/// other lines recorded as problems with their line number.</summary>
internal static class BfclResultLines
{
    /// <param name="expected">What a line should be, for the problem message (e.g. <c>a string "id"</c>).</param>
    public static IEnumerable<(int Line, string Id, JsonElement Value)> Read(string text, string expected, List<BfclResults.Problem> problems)
    {
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (!JsonValues.TryParse(line, out var e, out var error, out _))
            {
                problems.Add(new BfclResults.Problem(lineNumber, null, $"not valid JSON: {error}"));
                continue;
            }
            var id = e.ValueKind == JsonValueKind.Object && e.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString() : null;
            if (id is null)
            {
                problems.Add(new BfclResults.Problem(lineNumber, null, $"expected an object with {expected}"));
                continue;
            }
            yield return (lineNumber, id, e);
        }
    }
}
