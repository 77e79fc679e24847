namespace ToolSharp.Models.Export;

/// <summary>The number format weights are written in.</summary>
public enum ExportDType
{
    F32,
    F16,
    BF16,
}
