using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Core.Json;
using ToolSharp.Models;
using ToolSharp.Models.Benchmarks;
using ToolSharp.Models.Checkpoints;
using ToolSharp.Models.Configuration;
using ToolSharp.Tensors.Kernels;
using ToolSharp.Tensors.Memory;
using ToolSharp.Text.Builtin;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp bench engine</c>: training-step time, decoding speed and logit parity against PyTorch on the same weights.</summary>
public static class BenchEngineCommand
{
    public static Command Create(CliContext ctx)
    {
        var model = new Option<string>("--model") { Description = "Built-in preset to measure (tiny, small).", DefaultValueFactory = _ => "small" };
        var threads = new Option<int>("--threads") { Description = "Threads for both engines (0 = all cores).", DefaultValueFactory = _ => 0 };
        var batch = new Option<int>("--batch") { Description = "Sequences per training step.", DefaultValueFactory = _ => 8 };
        var seq = new Option<int>("--seq") { Description = "Tokens per training sequence.", DefaultValueFactory = _ => 256 };
        var python = new Option<string>("--python") { Description = "Python with PyTorch for the reference (Debian's python3-torch installs for /usr/bin/python3).", DefaultValueFactory = _ => "/usr/bin/python3" };
        var noTorch = new Option<bool>("--no-torch") { Description = "Measure only ToolSharp (no reference, no ratios)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with every number." };
        var command = new Command("engine", Help.WithExamples(
            "Measure the tensor engine on a built-in model: a training step (forward, backward, AdamW) on batch×seq random tokens and " +
            "greedy decoding at batch 1 and 8, next to the same decoder in PyTorch (bench/torch_reference.py) on identical weights, " +
            "measured in the same run; also the largest relative logit difference between the two.",
            "toolsharp bench engine",
            "toolsharp bench engine --threads 1 --json",
            "toolsharp bench engine --model tiny --no-torch"))
        {
            model, threads, batch, seq, python, noTorch, json,
        };
        command.SetAction(parse =>
        {
            var threadCount = parse.GetValue(threads) is > 0 and var t ? t : Environment.ProcessorCount;
            EngineThreads.Set(threadCount);
            var config = ModelPresets.Get(parse.GetValue(model)!, BuiltinTokenizer.Size);
            var transformer = Transformer.Create(config, 1);
            var (b, s) = (parse.GetValue(batch), parse.GetValue(seq));

            ctx.Err.WriteLine($"measuring ToolSharp (GEMM {Gemm.Describe()}, {threadCount} threads)");
            var dir = Directory.CreateTempSubdirectory("toolsharp-bench-engine-").FullName;
            try
            {
                transformer.Save(dir);
                // Parity is checked on the saved weights, before the timed training steps change them.
                var parity = ParityLogits(transformer);
                var gradients = ParityGradients(transformer);
                var train = EngineBenchmark.TrainStep(transformer, b, s);
                ctx.PrintProfile();
                TensorPool.Clear();
                var gen1 = EngineBenchmark.GenerationTokensPerSecond(transformer, 1);
                var gen8 = EngineBenchmark.GenerationTokensPerSecond(transformer, 8);

                Reference? reference = null;
                string? referenceProblem = null;
                if (!parse.GetValue(noTorch))
                {
                    var script = FindScript();
                    if (script is null) referenceProblem = "bench/torch_reference.py not found (run from the repository)";
                    else
                    {
                        ctx.Err.WriteLine("measuring PyTorch on the same weights");
                        reference = RunReference(parse.GetValue(python)!, script, dir, parity, gradients, threadCount, b, s, out referenceProblem);
                    }
                    if (referenceProblem is not null) ctx.Err.WriteLine($"no PyTorch reference: {referenceProblem}");
                }

                if (parse.GetValue(json)) ctx.Out.WriteLine(Json(parse.GetValue(model)!, threadCount, b, s, train, gen1, gen8, reference));
                else Table(ctx, parse.GetValue(model)!, threadCount, b, s, train, gen1, gen8, reference);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private sealed record Reference(string TorchVersion, double TrainStepMs, double? TrainCoresBusy, double Gen1, double Gen8, double MaxRelLogitDiff, GradientDiff Gradients);

    /// <summary>The parameter whose gradient differs most from PyTorch's, relative to the largest PyTorch gradient entry.</summary>
    private sealed record GradientDiff(string Worst, double MaxRelDiff);

    /// <summary>Random sequences (fixed seed) long enough to span several causal-attention blocks, and our gradients on them.</summary>
    private static (int[][] Sequences, Dictionary<string, float[]> Grads) ParityGradients(Transformer model)
    {
        var sequences = EngineBenchmark.RandomSequences(model.Config.VocabSize, 4, 100, 37);
        return (sequences, EngineBenchmark.Gradients(model, sequences));
    }

    /// <summary>Two random token sequences (fixed seed) and this engine's logits for them, concatenated.</summary>
    private static (int[][] Sequences, float[] Logits) ParityLogits(Transformer model)
    {
        var sequences = EngineBenchmark.RandomSequences(model.Config.VocabSize, 3, 40, 17);
        var logits = new List<float>();
        using (Tensors.Autograd.Tape.NoGrad())
            foreach (var sequence in sequences) logits.AddRange(model.Logits([sequence]).ToArray());
        return (sequences, logits.ToArray());
    }

    private static Reference? RunReference(string python, string script, string modelDir, (int[][] Sequences, float[] Logits) parity,
        (int[][] Sequences, Dictionary<string, float[]> Grads) gradients, int threads, int batch, int seq, out string? problem)
    {
        var tokensPath = Path.Combine(modelDir, "tokens.json");
        File.WriteAllText(tokensPath, JsonSerializer.Serialize(parity.Sequences));
        var logitsPath = Path.Combine(modelDir, "logits.bin");
        if (!RunPython(python, [script, "logits", modelDir, tokensPath, logitsPath], threads, out _, out problem)) return null;
        var bytes = File.ReadAllBytes(logitsPath);
        var theirs = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, theirs, 0, bytes.Length);
        var ours = parity.Logits;
        if (ours.Length != theirs.Length) { problem = $"reference returned {theirs.Length} logits, expected {ours.Length}"; return null; }
        var diff = EngineBenchmark.MaxRelativeDifference(ours, theirs);

        var gradTokensPath = Path.Combine(modelDir, "grad_tokens.json");
        File.WriteAllText(gradTokensPath, JsonSerializer.Serialize(gradients.Sequences));
        var gradsPath = Path.Combine(modelDir, "grads.safetensors");
        if (!RunPython(python, [script, "grads", modelDir, gradTokensPath, gradsPath], threads, out _, out problem)) return null;
        var gradDiff = CompareGradients(gradients.Grads, SafeTensors.Load(gradsPath), out problem);
        if (gradDiff is null) return null;

        if (!RunPython(python, [script, "bench", modelDir, "--threads", threads.ToString(CultureInfo.InvariantCulture),
                "--batch", batch.ToString(CultureInfo.InvariantCulture), "--seq", seq.ToString(CultureInfo.InvariantCulture)], threads, out var output, out problem)) return null;
        using var doc = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var root = doc.RootElement;
        var gen = root.GetProperty("gen_tokens_per_s");
        double? coresBusy = root.TryGetProperty("train_cores_busy", out var busy) ? busy.GetDouble() : null;
        return new Reference(root.GetProperty("torch_version").GetString() ?? "?", root.GetProperty("train_step_ms").GetDouble(), coresBusy,
            gen.GetProperty("1").GetDouble(), gen.GetProperty("8").GetDouble(), diff, gradDiff);
    }

    private static GradientDiff? CompareGradients(Dictionary<string, float[]> ours, Dictionary<string, (int[] Shape, float[] Data)> theirs, out string? problem)
    {
        GradientDiff? worst = null;
        foreach (var (name, grad) in ours)
        {
            if (!theirs.TryGetValue(name, out var reference) || reference.Data.Length != grad.Length)
            {
                problem = $"reference gradients have no tensor '{name}' of {grad.Length} values";
                return null;
            }
            var diff = EngineBenchmark.MaxRelativeDifference(grad, reference.Data);
            if (worst is null || diff > worst.MaxRelDiff) worst = new GradientDiff(name, diff);
        }
        problem = worst is null ? "the model has no parameters" : null;
        return worst;
    }

    private static bool RunPython(string python, string[] args, int threads, out string output, out string? problem)
    {
        output = "";
        try
        {
            var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) start.ArgumentList.Add(a);
            // torch.set_num_threads does not reach the BLAS pool Debian's torch calls. The script pins it for direct
            // use; setting it here as well holds for whatever --python runs and lets a test observe the setting.
            foreach (var name in new[] { "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS" })
                start.Environment[name] = threads.ToString(CultureInfo.InvariantCulture);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            output = stdout.Result;
            if (process.ExitCode != 0)
            {
                var last = stderr.Result.Trim().Split('\n')[^1];
                problem = last.Contains("No module named 'torch'", StringComparison.Ordinal)
                    ? $"{python} has no torch (apt-get install python3-torch)" : $"{python} failed: {last}";
                return false;
            }
            problem = null;
            return true;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            problem = $"cannot run {python}: {e.Message}";
            return false;
        }
    }

    private static string? FindScript()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "bench", "torch_reference.py");
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    private static string Json(string model, int threads, int batch, int seq, TrainStepTiming train, double gen1, double gen8, Reference? r) =>
        JsonValues.ToCompact(JsonValues.Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            w.WriteNumber("threads", threads);
            w.WriteString("blas", Gemm.ActiveName);
            w.WriteNumber("batch", batch);
            w.WriteNumber("seq", seq);
            w.WriteNumber("train_step_ms", Math.Round(train.Milliseconds, 1));
            w.WriteNumber("train_cores_busy", Math.Round(train.CoresBusy, 2));
            w.WriteNumber("gen_tokens_per_s", Math.Round(gen1, 1));
            w.WriteNumber("gen_tokens_per_s_batch8", Math.Round(gen8, 1));
            // torch fields are null when PyTorch is absent, so consumers need not test for missing keys
            void Nullable(string name, double? value, int digits)
            {
                if (value is { } v) w.WriteNumber(name, Math.Round(v, digits));
                else w.WriteNull(name);
            }
            if (r is null) w.WriteNull("torch_version");
            else w.WriteString("torch_version", r.TorchVersion);
            Nullable("torch_train_step_ms", r?.TrainStepMs, 1);
            Nullable("torch_train_cores_busy", r?.TrainCoresBusy, 2);
            Nullable("torch_gen_tokens_per_s", r?.Gen1, 1);
            Nullable("torch_gen_tokens_per_s_batch8", r?.Gen8, 1);
            Nullable("train_step_ratio", r is null ? null : train.Milliseconds / r.TrainStepMs, 3);
            if (r is null) w.WriteNull("max_rel_logit_diff");
            else w.WriteNumber("max_rel_logit_diff", r.MaxRelLogitDiff);
            if (r is null) w.WriteNull("max_rel_grad_diff");
            else w.WriteNumber("max_rel_grad_diff", r.Gradients.MaxRelDiff);
            w.WriteEndObject();
        }));

    private static void Table(CliContext ctx, string model, int threads, int batch, int seq, TrainStepTiming train, double gen1, double gen8, Reference? r)
    {
        var table = new Table().AddColumn("measure").AddColumn("ToolSharp").AddColumn(r is null ? "PyTorch" : $"PyTorch {r.TorchVersion}").AddColumn("ToolSharp / PyTorch");
        string F(double v) => v.ToString("F1", CultureInfo.InvariantCulture);
        string Ratio(double a, double? b) => b is { } x and > 0 ? (a / x).ToString("F2", CultureInfo.InvariantCulture) + "×" : "–";
        table.AddRow($"train step {batch}×{seq} (ms, lower is better)", F(train.Milliseconds), r is null ? "–" : F(r.TrainStepMs), Ratio(train.Milliseconds, r?.TrainStepMs));
        string Busy(double? v) => v is { } x ? x.ToString("F2", CultureInfo.InvariantCulture) : "–";
        table.AddRow("cores busy while training (CPU s / wall s)", Busy(train.CoresBusy), r is null ? "–" : Busy(r.TrainCoresBusy), "");
        table.AddRow("decode batch 1 (tokens/s)", F(gen1), r is null ? "–" : F(r.Gen1), Ratio(gen1, r?.Gen1));
        table.AddRow("decode batch 8 (tokens/s)", F(gen8), r is null ? "–" : F(r.Gen8), Ratio(gen8, r?.Gen8));
        if (r is not null)
        {
            table.AddRow("max relative logit difference", r.MaxRelLogitDiff.ToString("E1", CultureInfo.InvariantCulture), "", "");
            table.AddRow("max relative gradient difference", $"{r.Gradients.MaxRelDiff.ToString("E1", CultureInfo.InvariantCulture)} ({Markup.Escape(r.Gradients.Worst)})", "", "");
        }
        ctx.Tables.Write(table);
        ctx.Out.WriteLine($"model {model}, {threads} threads, GEMM {Gemm.Describe()}");
    }
}
