namespace ToolSharp.Environments.Arith;

/// <summary>An arithmetic operation of a problem.</summary>
public enum ArithOperation
{
    Add,
    Subtract,
    Multiply,
    Divide,
}

/// <summary>One step of a problem: apply <paramref name="Operation"/> with <paramref name="Operand"/> to the running value.</summary>
public sealed record ArithStep(ArithOperation Operation, long Operand)
{
    public char Symbol => Operation switch
    {
        ArithOperation.Add => '+',
        ArithOperation.Subtract => '-',
        ArithOperation.Multiply => '*',
        _ => '/',
    };
}
