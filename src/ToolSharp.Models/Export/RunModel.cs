using ToolSharp.Core.Errors;
using ToolSharp.Models.Checkpoints;

namespace ToolSharp.Models.Export;

/// <summary>Finds the model inside a run directory or checkpoint directory.</summary>
/// <remarks>
/// A finished run holds its final model at the top (config.json + model.safetensors); a run still going, or stopped in
/// the warm-up, has only checkpoints, and the newest one is what it would resume from: the latest RL checkpoint, else
/// the latest warm-up checkpoint. A checkpoint directory, or any Hugging Face model folder, is taken as it is.
/// </remarks>
public static class RunModel
{
    /// <summary>The directory holding the config.json and safetensors to export.</summary>
    public static string Resolve(string path)
    {
        if (!Directory.Exists(path)) throw new ToolSharpException($"{path}: no such run or checkpoint directory");
        if (IsModelDirectory(path)) return path;
        foreach (var store in new[] { new CheckpointStore(path), new CheckpointStore(Path.Combine(path, "warmup")) })
            if (store.Latest is { } latest && IsModelDirectory(latest)) return latest;
        throw new ToolSharpException($"{path}: no model here (expected config.json and model.safetensors, or checkpoints/latest or warmup/checkpoints/latest naming a checkpoint)");
    }

    private static bool IsModelDirectory(string directory) =>
        File.Exists(Path.Combine(directory, "config.json")) &&
        (File.Exists(Path.Combine(directory, "model.safetensors")) || File.Exists(Path.Combine(directory, "model.safetensors.index.json")));
}
