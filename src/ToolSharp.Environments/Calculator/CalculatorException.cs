namespace ToolSharp.Environments.Calculator;

/// <summary>An expression the calculator cannot evaluate: a syntax error (with the 0-based character position) or an arithmetic one.</summary>
public sealed class CalculatorException(string message, int position) : Exception(message)
{
    public int Position { get; } = position;
}
