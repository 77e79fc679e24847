namespace ToolSharp.Environments.Bfcl;

/// <summary>Choices BFCL makes per model when checking calls.</summary>
/// <param name="UnderscoreToDot">
/// The model's API forbids dots in function names, so it was offered <c>math_factorial</c> for <c>math.factorial</c>;
/// the checker then expects the underscored name (BFCL's <c>underscore_to_dot</c> model setting).
/// </param>
public sealed record BfclCheckerOptions(bool UnderscoreToDot = false)
{
    public static BfclCheckerOptions Default { get; } = new();
}
