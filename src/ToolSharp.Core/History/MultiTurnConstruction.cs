using ToolSharp.Core.Errors;

namespace ToolSharp.Core.History;

/// <summary>How earlier turns reach the model: as real chat turns, or packed into one user message.</summary>
public enum MultiTurnConstruction
{
    /// <summary><c>native</c>: every message is its own turn in the chat template.</summary>
    Native,
    /// <summary><c>packed</c>: the dialogue so far is rendered as a transcript inside a single user message.</summary>
    Packed,
}

/// <summary>Names of <see cref="MultiTurnConstruction"/> values as used in configs and CLI flags.</summary>
public static class MultiTurnConstructions
{
    public static string ToName(this MultiTurnConstruction c) => c == MultiTurnConstruction.Native ? "native" : "packed";

    public static MultiTurnConstruction Parse(string name) => name switch
    {
        "native" => MultiTurnConstruction.Native,
        "packed" => MultiTurnConstruction.Packed,
        _ => throw new ToolSharpException($"unknown multi-turn construction '{name}' (expected native or packed)"),
    };
}
