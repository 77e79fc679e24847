using System.Text.Json;

namespace ToolSharp.Environments.Episodes;

/// <summary>One task of an environment: a stable id, the user turn(s) to send, and the expected answer.</summary>
/// <param name="Id">Stable across runs and machines (e.g. <c>test/17</c>, <c>simple_python_3</c>); <see cref="IEnvironment.FindTask"/> resolves it.</param>
/// <param name="Split">The split it belongs to (<c>train</c>, <c>test</c>, a BFCL category, …).</param>
/// <param name="Index">Its position in the split.</param>
/// <param name="UserTurns">The user messages, sent one per turn; most tasks have one, stateful multi-turn tasks several.</param>
/// <param name="ExpectedAnswer">The reference answer as people read it (scoring may accept equivalent forms).</param>
/// <param name="Difficulty">An environment-specific level (arith: number of operations); 0 when not graded.</param>
/// <param name="Data">Environment-specific details the scorer needs (BFCL ground truth, a reference SQL query), or undefined.</param>
public sealed record EnvironmentTask(
    string Id,
    string Split,
    int Index,
    IReadOnlyList<string> UserTurns,
    string ExpectedAnswer,
    int Difficulty = 0,
    JsonElement Data = default)
{
    /// <summary>The first (often only) user message.</summary>
    public string Question => UserTurns[0];

    public bool Equals(EnvironmentTask? other) =>
        other is not null && Id == other.Id && Split == other.Split && Index == other.Index &&
        UserTurns.SequenceEqual(other.UserTurns) && ExpectedAnswer == other.ExpectedAnswer && Difficulty == other.Difficulty &&
        DataEquals(Data, other.Data);

    private static bool DataEquals(JsonElement a, JsonElement b) =>
        a.ValueKind == JsonValueKind.Undefined || b.ValueKind == JsonValueKind.Undefined
            ? a.ValueKind == b.ValueKind
            : JsonElement.DeepEquals(a, b);

    public override int GetHashCode() => HashCode.Combine(Id, Split, Index, ExpectedAnswer);
}
