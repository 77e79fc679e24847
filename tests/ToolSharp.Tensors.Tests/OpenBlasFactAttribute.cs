using ToolSharp.Tensors.Native;

namespace ToolSharp.Tensors.Tests;

/// <summary>A fact that needs OpenBLAS; reported as skipped, with the reason, when the library does not load.</summary>
public sealed class OpenBlasFactAttribute : FactAttribute
{
    public OpenBlasFactAttribute()
    {
        if (!OpenBlas.IsAvailable) Skip = OpenBlasTheoryAttribute.Reason;
    }
}

/// <summary>A theory that needs OpenBLAS; reported as skipped, with the reason, when the library does not load.</summary>
public sealed class OpenBlasTheoryAttribute : TheoryAttribute
{
    public const string Reason = "OpenBLAS not found (libopenblas.so.0; Debian package libopenblas0-pthread): the managed kernels are tested without it";

    public OpenBlasTheoryAttribute()
    {
        if (!OpenBlas.IsAvailable) Skip = Reason;
    }
}

/// <summary>A fact about running without OpenBLAS; reported as skipped where the library loads.</summary>
public sealed class WithoutOpenBlasFactAttribute : FactAttribute
{
    public WithoutOpenBlasFactAttribute()
    {
        if (OpenBlas.IsAvailable) Skip = $"OpenBLAS loads here ({OpenBlas.LibraryPath}); the error for a missing library is tested where it is absent";
    }
}
