namespace ToolSharp.Tensors.Kernels;

/// <summary>One thread's packing buffers for the managed GEMM, allocated once (pinned, 64-byte aligned) and reused by
/// every call on that thread, so the hot path allocates nothing.</summary>
internal sealed unsafe class GemmScratch
{
    /// <summary>Largest k-block: an MR × KC panel of A stays in L1 while it meets every panel of B.</summary>
    public const int MaxKc = 256;

    /// <summary>Floats in a packed block of B (KC × NC), sized to stay in a 1 MiB L2 next to A and C.</summary>
    public const int BlockFloats = 96 * 1024;

    /// <summary>Room for the largest micro-kernel (8 rows × 32 columns, the 512-bit one).</summary>
    private const int MaxRows = 8, MaxColumns = 32;

    [ThreadStatic] private static GemmScratch? _current;

    private readonly float[] _a = GC.AllocateUninitializedArray<float>(MaxRows * MaxKc + 32, pinned: true);
    private readonly float[] _b = GC.AllocateUninitializedArray<float>(BlockFloats + MaxColumns * MaxKc + 16, pinned: true);
    private readonly float[] _tile = GC.AllocateUninitializedArray<float>(MaxRows * MaxColumns + 16, pinned: true);

    public static GemmScratch Current => _current ??= new GemmScratch();

    /// <summary>A packed MR × KC panel of A.</summary>
    public float* A => Aligned(_a);

    /// <summary>A packed KC × NC block of B.</summary>
    public float* B => Aligned(_b);

    /// <summary>An MR × NR tile for edge blocks that do not fill the micro-kernel.</summary>
    public float* Tile => Aligned(_tile);

    private static float* Aligned(float[] pinned)
    {
        var p = (nint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(pinned));
        return (float*)((p + 63) & ~(nint)63);
    }
}
