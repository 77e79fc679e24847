using ToolSharp.Core.Errors;

namespace ToolSharp.Models.Export;

/// <summary>Parsing and naming of <see cref="ExportDType"/>.</summary>
public static class ExportDTypes
{
    public static ExportDType Parse(string text) => text.ToLowerInvariant() switch
    {
        "f32" or "float32" or "fp32" => ExportDType.F32,
        "f16" or "float16" or "fp16" => ExportDType.F16,
        "bf16" or "bfloat16" => ExportDType.BF16,
        _ => throw new ToolSharpException($"--dtype: expected f32, f16 or bf16, found '{text}'"),
    };

    /// <summary>The safetensors dtype name.</summary>
    public static string SafeTensorsName(this ExportDType dtype) => dtype switch { ExportDType.F16 => "F16", ExportDType.BF16 => "BF16", _ => "F32" };

    /// <summary>The <c>torch_dtype</c> of config.json.</summary>
    public static string TorchName(this ExportDType dtype) => dtype switch { ExportDType.F16 => "float16", ExportDType.BF16 => "bfloat16", _ => "float32" };
}
