using ToolSharp.Core.Hashing;

namespace ToolSharp.Evaluation.Policies;

/// <summary>The content hash of a built-in checkpoint directory: what identifies a built-in model in configuration hashes and manifests.</summary>
public static class CheckpointHash
{
    /// <summary>SHA-256 over the checkpoint's config, generation config and weight files, in name order.</summary>
    public static string Of(string directory)
    {
        var files = Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".safetensors", StringComparison.Ordinal) || Path.GetFileName(f) is "config.json" or "generation_config.json")
            .Order(StringComparer.Ordinal)
            .Select(f => Path.GetFileName(f) + ":" + StableHash.OfFile(f));
        return StableHash.Of(string.Join("\n", files));
    }
}
