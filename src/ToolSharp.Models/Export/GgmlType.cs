namespace ToolSharp.Models.Export;

/// <summary>The ggml tensor types this exporter writes (the numbers are ggml's).</summary>
public enum GgmlType : uint
{
    F32 = 0,
    F16 = 1,
}
