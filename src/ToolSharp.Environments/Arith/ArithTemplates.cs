namespace ToolSharp.Environments.Arith;

/// <summary>The phrasings of arith problems: a handful of short, regular English frames, one sentence per operation.</summary>
/// <remarks>
/// Kept deliberately few and uniform so that a tiny byte-level model can learn to map the words to an expression; the
/// numbers are written without digit groups so they can be copied into a calculator call as they stand.
/// </remarks>
internal static class ArithTemplates
{
    /// <summary>A frame: opening sentence, one sentence per operation, the question. {a} is the number, {n} a name.</summary>
    internal sealed record Frame(string Name, string Opening, string Add, string Subtract, string Multiply, string Divide, string Question)
    {
        public string For(ArithOperation op) => op switch
        {
            ArithOperation.Add => Add,
            ArithOperation.Subtract => Subtract,
            ArithOperation.Multiply => Multiply,
            _ => Divide,
        };
    }

    public static readonly IReadOnlyList<Frame> Frames =
    [
        new("steps", "Start with {a}.", "Add {a}.", "Subtract {a}.", "Multiply by {a}.", "Divide by {a}.", "What is the result?"),
        new("money", "{n} has {a} dollars.", "{n} earns {a} dollars.", "{n} spends {a} dollars.",
            "{n} now has {a} times as much.", "{n} splits the money into {a} equal parts and keeps one.", "How many dollars does {n} have now?"),
        new("boxes", "A warehouse holds {a} boxes.", "{a} boxes arrive.", "{a} boxes are shipped.",
            "The stock becomes {a} times as large.", "The stock is shared equally by {a} stores and one share stays.", "How many boxes are in the warehouse now?"),
        new("water", "A tank has {a} liters of water.", "{a} liters are added.", "{a} liters are drained.",
            "The amount is multiplied by {a}.", "The water is split equally into {a} tanks and one tank is kept.", "How many liters are in the tank now?"),
    ];

    /// <summary>The symbolic frame: the expression itself.</summary>
    public const string ExpressionFrame = "expression";

    public static readonly IReadOnlyList<string> Names = ["Ana", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Ivy"];
}
