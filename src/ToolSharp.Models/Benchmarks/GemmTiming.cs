namespace ToolSharp.Models.Benchmarks;

/// <summary>Best seconds per product of one shape at one thread count, for the managed kernels and (when loaded) OpenBLAS.</summary>
public sealed record GemmTiming(GemmShape Shape, int Threads, double ManagedSeconds, double? OpenBlasSeconds)
{
    public double ManagedGflops => Shape.Flops / ManagedSeconds / 1e9;

    public double? OpenBlasGflops => OpenBlasSeconds is { } s ? Shape.Flops / s / 1e9 : null;

    /// <summary>Managed GFLOP/s over OpenBLAS's (above 1: managed is faster).</summary>
    public double? Ratio => OpenBlasSeconds is { } s ? s / ManagedSeconds : null;
}
