using ToolSharp.Core.WireFormats;
using System.Text.Json;
using System.Text.Json.Nodes;
using ToolSharp.Core.Errors;
using ToolSharp.Tensors.Optim;

namespace ToolSharp.Models.Checkpoints;

/// <summary>Atomic training checkpoints under <c>RUN/checkpoints/step-NNNNNNNN/</c>, with a <c>latest</c> pointer.</summary>
/// <remarks>
/// A checkpoint is written into a temporary directory, every file is flushed to disk, the directory is renamed into
/// place, and only then is <c>latest</c> replaced (write temp + rename). A process killed at any moment leaves either
/// the previous checkpoint or the new one as <c>latest</c>, never a half-written one. Each checkpoint holds the model
/// (config.json + model.safetensors, loadable by Hugging Face tools), the AdamW moments (optimizer.safetensors), the
/// trainer's own state (trainer_state.json: step, RNG states, counters) and any extra files such as the tokenizer.
/// </remarks>
public sealed class CheckpointStore
{
    public CheckpointStore(string runDirectory, int keep = 2)
    {
        RunDirectory = runDirectory;
        Directory = Path.Combine(runDirectory, "checkpoints");
        Keep = keep;
    }

    public string RunDirectory { get; }

    public string Directory { get; }

    /// <summary>How many checkpoints to keep (older ones are deleted after a successful save).</summary>
    public int Keep { get; }

    /// <summary>The directory of the latest complete checkpoint, or null.</summary>
    public string? Latest
    {
        get
        {
            var pointer = Path.Combine(Directory, "latest");
            if (!File.Exists(pointer)) return null;
            var name = File.ReadAllText(pointer).Trim();
            var path = Path.Combine(Directory, name);
            return System.IO.Directory.Exists(path) ? path : null;
        }
    }

    /// <summary>Writes a checkpoint atomically and returns its directory.</summary>
    public string Save(long step, Transformer model, AdamW? optimizer, JsonObject trainerState, IReadOnlyDictionary<string, string>? extraFiles = null)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var name = $"step-{step:D8}";
        var final = Path.Combine(Directory, name);
        var temp = Path.Combine(Directory, $".{name}.tmp-{Environment.ProcessId}");
        if (System.IO.Directory.Exists(temp)) System.IO.Directory.Delete(temp, recursive: true);
        System.IO.Directory.CreateDirectory(temp);

        model.Save(temp);
        if (optimizer is not null)
        {
            WriteOptimizer(Path.Combine(temp, "optimizer.safetensors"), model, optimizer);
            trainerState["optimizer_step"] = optimizer.StepCount;
        }
        trainerState["step"] = step;
        File.WriteAllText(Path.Combine(temp, "trainer_state.json"), trainerState.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        if (extraFiles is not null)
            foreach (var (file, content) in extraFiles) File.WriteAllText(Path.Combine(temp, file), content);
        foreach (var file in System.IO.Directory.EnumerateFiles(temp)) Flush(file);

        if (System.IO.Directory.Exists(final)) System.IO.Directory.Delete(final, recursive: true);
        System.IO.Directory.Move(temp, final);
        var pointerTemp = Path.Combine(Directory, $".latest.tmp-{Environment.ProcessId}");
        File.WriteAllText(pointerTemp, name);
        Flush(pointerTemp);
        File.Move(pointerTemp, Path.Combine(Directory, "latest"), overwrite: true);
        Prune(name);
        return final;
    }

    /// <summary>Restores model weights and optimizer moments from a checkpoint; returns the trainer state.</summary>
    public static JsonObject Restore(string checkpoint, Transformer model, AdamW? optimizer)
    {
        var tensors = SafeTensors.Load(Path.Combine(checkpoint, "model.safetensors"));
        foreach (var (pname, tensor) in model.NamedParameters())
        {
            if (!tensors.TryGetValue(pname, out var saved))
                throw new InputFormatException(checkpoint, pname, "a saved tensor", "none (checkpoint of a different model?)");
            if (saved.Data.Length != tensor.Length)
                throw new InputFormatException(checkpoint, pname, $"{tensor.Length} values", $"{saved.Data.Length}");
            saved.Data.CopyTo(tensor.Span);
        }
        var state = Core.Json.JsonValues.ParseFile(Path.Combine(checkpoint, "trainer_state.json"));
        if (optimizer is not null)
        {
            var path = Path.Combine(checkpoint, "optimizer.safetensors");
            if (!File.Exists(path)) throw new ToolSharpException($"{checkpoint}: no optimizer.safetensors to resume from");
            var moments = SafeTensors.Load(path);
            var names = model.NamedParameters().Select(p => p.Name).ToList();
            var list = names.Select(n => (moments[$"exp_avg.{n}"].Data, moments[$"exp_avg_sq.{n}"].Data)).ToList();
            var optimizerStep = state.TryGetProperty("optimizer_step", out var os) ? os.GetInt64() : 0;
            optimizer.Restore(optimizerStep, list);
        }
        return JsonNode.Parse(state.GetRawText())!.AsObject();
    }

    private static void WriteOptimizer(string path, Transformer model, AdamW optimizer)
    {
        var named = model.NamedParameters().ToList();
        var tensors = new List<(string, int[], float[])>();
        for (var i = 0; i < named.Count; i++)
        {
            var (m, v) = optimizer.Moments(i);
            tensors.Add(($"exp_avg.{named[i].Name}", named[i].Tensor.Shape, m));
            tensors.Add(($"exp_avg_sq.{named[i].Name}", named[i].Tensor.Shape, v));
        }
        using var stream = File.Create(path);
        SafeTensors.Write(stream, tensors);
    }

    private static void Flush(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        stream.Flush(flushToDisk: true);
    }

    private void Prune(string current)
    {
        var all = System.IO.Directory.EnumerateDirectories(Directory, "step-*").Select(Path.GetFileName).OfType<string>().Order().ToList();
        foreach (var old in all.Take(Math.Max(0, all.Count - Keep)))
        {
            if (old == current) continue;
            try { System.IO.Directory.Delete(Path.Combine(Directory, old), recursive: true); }
            catch (IOException) { }
        }
    }
}
