namespace ToolSharp.Environments.Tests.Bfcl.MultiTurn;

/// <summary>A fact that needs BFCL's Python reference, the interpreter and the data; skipped with the reason otherwise.</summary>
public sealed class RequiresBfclPythonFactAttribute : FactAttribute
{
    public RequiresBfclPythonFactAttribute()
    {
        Skip = BfclPython.MissingReason();
    }
}
