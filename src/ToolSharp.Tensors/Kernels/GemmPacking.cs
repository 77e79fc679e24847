using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ToolSharp.Tensors.Kernels;

/// <summary>Copies blocks of GEMM operands into the k-major panels the micro-kernel streams: panel[p·width + r] holds
/// row r (of A) or column r (of B) at step p of k.</summary>
/// <remarks>
/// An operand is either stored with the panel's rows contiguous in k (<see cref="Transpose"/>: A as m × k, or B as
/// n × k), which needs a transpose, done in 8 × 8 blocks with AVX; or with them side by side (<see cref="Copy"/>: A as
/// k × m, or B as k × n), which is a strided copy. Panel rows past the operand's edge hold copies of its last row:
/// their results are computed and never stored.
/// Every method here is compiled fully optimized from the first call (AggressiveOptimization): the engine's first
/// steps and short benchmarks would otherwise run them unoptimized until tiered compilation catches up.
/// </remarks>
internal static unsafe class GemmPacking
{
    /// <summary>panel[p·width + r] = src[r·ld + p] for r &lt; rows, p &lt; kc; rows ≤ width.</summary>
    /// <param name="simd">Use AVX (the Vector256 and Vector512 paths); the others, and tests of them, use scalar code.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose(float* src, int ld, int rows, int kc, float* panel, int width, bool simd)
    {
        // Width 6 (the 256-bit micro-kernel's MR) writes 8 values per step and lets the next step overwrite the extra 2,
        // so it needs 2 floats of room after the panel.
        if (simd && Avx.IsSupported && (width % 8 == 0 || width == 6))
        {
            for (var r0 = 0; r0 < width; r0 += 8) TransposeRows8(src, ld, rows, r0, kc, panel, width);
            return;
        }
        for (var r = 0; r < width; r++)
        {
            var row = src + (long)Math.Min(r, rows - 1) * ld;
            for (var p = 0; p < kc; p++) panel[p * width + r] = row[p];
        }
    }

    /// <summary>panel[p·width + r] = src[p·ld + r] for r &lt; cols (then copies of the last column), p &lt; kc.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Copy(float* src, int ld, int cols, int kc, float* panel, int width)
    {
        if (cols == width && width % 8 == 0 && Vector256.IsHardwareAccelerated)
        {
            for (var p = 0; p < kc; p++, src += ld, panel += width)
                for (var r = 0; r < width; r += 8) Vector256.Store(Vector256.Load(src + r), panel + r);
            return;
        }
        if (cols == 6 && width == 6 && Vector128.IsHardwareAccelerated)
        {
            // The 256- and 128-bit micro-kernels' MR: four values as a vector, two as one 64-bit move.
            for (var p = 0; p < kc; p++, src += ld, panel += width)
            {
                Vector128.Store(Vector128.Load(src), panel);
                Unsafe.WriteUnaligned(panel + 4, Unsafe.ReadUnaligned<long>(src + 4));
            }
            return;
        }
        if (cols == width && width % 4 == 0 && Vector128.IsHardwareAccelerated)
        {
            for (var p = 0; p < kc; p++, src += ld, panel += width)
                for (var r = 0; r < width; r += 4) Vector128.Store(Vector128.Load(src + r), panel + r);
            return;
        }
        for (var p = 0; p < kc; p++, src += ld, panel += width)
        {
            var r = 0;
            for (; r < cols; r++) panel[r] = src[r];
            for (; r < width; r++) panel[r] = src[cols - 1];
        }
    }

    /// <summary>Rows r0..r0+7 of the panel (rows past the edge repeat the last one), 8 steps of k at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeRows8(float* src, int ld, int rows, int r0, int kc, float* panel, int width)
    {
        var last = rows - 1;
        float* s0 = Row(src, ld, r0, last), s1 = Row(src, ld, r0 + 1, last), s2 = Row(src, ld, r0 + 2, last), s3 = Row(src, ld, r0 + 3, last),
               s4 = Row(src, ld, r0 + 4, last), s5 = Row(src, ld, r0 + 5, last), s6 = Row(src, ld, r0 + 6, last), s7 = Row(src, ld, r0 + 7, last);
        var dst = panel + r0;
        var p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            var t0 = Avx.UnpackLow(Avx.LoadVector256(s0 + p), Avx.LoadVector256(s1 + p));
            var t1 = Avx.UnpackHigh(Avx.LoadVector256(s0 + p), Avx.LoadVector256(s1 + p));
            var t2 = Avx.UnpackLow(Avx.LoadVector256(s2 + p), Avx.LoadVector256(s3 + p));
            var t3 = Avx.UnpackHigh(Avx.LoadVector256(s2 + p), Avx.LoadVector256(s3 + p));
            var t4 = Avx.UnpackLow(Avx.LoadVector256(s4 + p), Avx.LoadVector256(s5 + p));
            var t5 = Avx.UnpackHigh(Avx.LoadVector256(s4 + p), Avx.LoadVector256(s5 + p));
            var t6 = Avx.UnpackLow(Avx.LoadVector256(s6 + p), Avx.LoadVector256(s7 + p));
            var t7 = Avx.UnpackHigh(Avx.LoadVector256(s6 + p), Avx.LoadVector256(s7 + p));
            var u0 = Avx.Shuffle(t0, t2, 0x44);
            var u1 = Avx.Shuffle(t0, t2, 0xEE);
            var u2 = Avx.Shuffle(t1, t3, 0x44);
            var u3 = Avx.Shuffle(t1, t3, 0xEE);
            var u4 = Avx.Shuffle(t4, t6, 0x44);
            var u5 = Avx.Shuffle(t4, t6, 0xEE);
            var u6 = Avx.Shuffle(t5, t7, 0x44);
            var u7 = Avx.Shuffle(t5, t7, 0xEE);
            var d = dst + (long)p * width;
            Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
            Avx.Store(d + width, Avx.Permute2x128(u1, u5, 0x20));
            Avx.Store(d + 2 * width, Avx.Permute2x128(u2, u6, 0x20));
            Avx.Store(d + 3 * width, Avx.Permute2x128(u3, u7, 0x20));
            Avx.Store(d + 4 * width, Avx.Permute2x128(u0, u4, 0x31));
            Avx.Store(d + 5 * width, Avx.Permute2x128(u1, u5, 0x31));
            Avx.Store(d + 6 * width, Avx.Permute2x128(u2, u6, 0x31));
            Avx.Store(d + 7 * width, Avx.Permute2x128(u3, u7, 0x31));
        }
        var count = Math.Min(8, width - r0);
        for (; p < kc; p++)
        {
            var d = dst + (long)p * width;
            d[0] = s0[p];
            if (count > 1) d[1] = s1[p];
            if (count > 2) d[2] = s2[p];
            if (count > 3) d[3] = s3[p];
            if (count > 4) d[4] = s4[p];
            if (count > 5) d[5] = s5[p];
            if (count > 6) d[6] = s6[p];
            if (count > 7) d[7] = s7[p];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* Row(float* src, int ld, int r, int last) => src + (long)Math.Min(r, last) * ld;
}
