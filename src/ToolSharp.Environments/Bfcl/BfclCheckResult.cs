namespace ToolSharp.Environments.Bfcl;

/// <summary>The verdict of the BFCL AST checker on one entry: valid, or the BFCL error type and messages.</summary>
/// <param name="Valid">True when the model output matches a possible answer.</param>
/// <param name="ErrorType">BFCL's error type, e.g. <c>simple_function_checker:missing_required</c> or <c>value_error:string</c>; empty when valid.</param>
/// <param name="Errors">BFCL-style messages explaining the failure.</param>
public sealed record BfclCheckResult(bool Valid, string ErrorType, IReadOnlyList<string> Errors)
{
    public static BfclCheckResult Ok { get; } = new(true, "", []);

    public static BfclCheckResult Fail(string errorType, params string[] errors) => new(false, errorType, errors);

    public override string ToString() => Valid ? "valid" : $"{ErrorType}: {string.Join(" ", Errors)}";
}
