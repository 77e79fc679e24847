namespace ToolSharp.Environments.Bfcl.Backends;

/// <summary>The two ways BFCL's <c>MathAPI.logarithm</c> is computed, depending on whether mpmath is installed.</summary>
public enum BfclLogarithm
{
    /// <summary>mpmath at <c>mp.dps = precision</c>, as in a BFCL install (the result is an <c>mpf</c>).</summary>
    Mpmath,

    /// <summary><c>math.log(value) / math.log(base)</c> as a float, as BFCL's replay script's stdlib stub computes.</summary>
    MathLog,
}
