namespace ToolSharp.Tensors.Kernels;

/// <summary>Which GEMM implementation runs (<c>TOOLSHARP_BLAS=auto|managed|openblas</c>).</summary>
public enum GemmBackend
{
    /// <summary>OpenBLAS when it loads, else managed.</summary>
    Auto,
    /// <summary>Always the managed kernels.</summary>
    Managed,
    /// <summary>Always OpenBLAS; an error when it cannot be loaded.</summary>
    OpenBlas,
}
