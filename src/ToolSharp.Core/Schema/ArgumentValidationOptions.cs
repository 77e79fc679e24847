namespace ToolSharp.Core.Schema;

/// <summary>Choices the JSON Schema leaves open when validating tool-call arguments.</summary>
/// <param name="RejectUndeclaredParameters">
/// When an object schema declares <c>properties</c> but says nothing about <c>additionalProperties</c>, treat
/// undeclared keys as errors. JSON Schema would accept them; a tool cannot use them and BFCL's checker rejects
/// them, so this is on by default. An explicit <c>additionalProperties</c> always wins.
/// </param>
public sealed record ArgumentValidationOptions(bool RejectUndeclaredParameters = true)
{
    public static ArgumentValidationOptions Default { get; } = new();

    /// <summary>Plain JSON Schema semantics: undeclared parameters are allowed unless the schema forbids them.</summary>
    public static ArgumentValidationOptions JsonSchema { get; } = new(RejectUndeclaredParameters: false);
}
