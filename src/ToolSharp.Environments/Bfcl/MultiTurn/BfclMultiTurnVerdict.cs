namespace ToolSharp.Environments.Bfcl.MultiTurn;

/// <summary>The multi-turn checker's verdict on one entry: valid, or BFCL's error type and message and the turn that failed.</summary>
/// <param name="ErrorType">BFCL's type: <c>multi_turn:inference_error</c>, <c>multi_turn:force_terminated</c>,
/// <c>multi_turn:empty_turn_model_response</c>, <c>multi_turn:instance_state_mismatch</c> or
/// <c>multi_turn:execution_response_mismatch</c> (ToolSharp adds <c>result:missing</c> for an entry without a result).</param>
/// <param name="Turn">The failing turn (null when valid or when the whole result was rejected).</param>
public sealed record BfclMultiTurnVerdict(bool Valid, string? ErrorType, string? Message, int? Turn)
{
    public static BfclMultiTurnVerdict Ok { get; } = new(true, null, null, null);

    public static BfclMultiTurnVerdict Fail(string type, string message, int? turn = null) => new(false, type, message, turn);

    /// <summary>The model's result strings per turn and step, as executed during the check (for diagnostics and tests).</summary>
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> ModelResults { get; init; } = [];

    /// <summary>The ground truth's result strings per turn, for the turns checked.</summary>
    public IReadOnlyList<IReadOnlyList<string>> GroundTruthResults { get; init; } = [];

    /// <summary>For <c>instance_state_mismatch</c>: the class and its differing attributes.</summary>
    public string? Details { get; init; }
}
