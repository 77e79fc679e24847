using System.CommandLine;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Models.Export;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp export RUN --to DIR</c> (Hugging Face folder) and/or <c>--gguf FILE</c> (llama.cpp).</summary>
public static class ExportCommand
{
    public static Command Create(CliContext ctx)
    {
        var run = new Argument<string>("run") { Description = "A training run directory (its final model, else its latest checkpoint), a checkpoint directory, or a model folder." };
        var to = new Option<string?>("--to") { Description = "Write a Hugging Face folder here: config.json, model.safetensors, tokenizer.json, tokenizer_config.json (chat template), generation_config.json." };
        var gguf = new Option<string?>("--gguf") { Description = "Write a GGUF file here for llama.cpp and Ollama (architecture qwen3, qwen2 or llama as the model is)." };
        var dtype = new Option<string>("--dtype") { Description = "Weight format: f32 (default, exact), f16, or bf16 (Hugging Face folder only).", DefaultValueFactory = _ => "f32" };

        var command = new Command("export", Help.WithExamples(
            "Export a trained model for other runtimes: a Hugging Face folder that transformers and vLLM load (byte tokenizer as a byte-level BPE, chat template matching training), and/or a GGUF file for llama.cpp. Prints the files written.",
            "toolsharp export runs/arith --to exported/arith",
            "toolsharp export runs/arith --gguf arith.gguf",
            "toolsharp export runs/arith/checkpoints/step-00000040 --to exported/step40 --gguf step40-f16.gguf --dtype f16"))
        {
            run, to, gguf, dtype,
        };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(to);
            var ggufFile = parse.GetValue(gguf);
            if (folder is null && ggufFile is null) throw new UsageException("give --to DIR, --gguf FILE, or both");
            var format = ExportDTypes.Parse(parse.GetValue(dtype)!);
            var source = ExportSource.Load(parse.GetValue(run)!);
            ctx.Err.WriteLine($"exporting {source.Directory} ({source.Config.Architecture}, {source.Config.ParameterCount:N0} parameters, {(source.UsesBuiltinTokenizer ? "built-in tokenizer" : "its own tokenizer")})");
            if (folder is not null)
            {
                if (Path.GetFullPath(folder).TrimEnd('/') == Path.GetFullPath(source.Directory).TrimEnd('/'))
                    throw new UsageException($"--to {folder}: that is the model's own directory; choose another");
                foreach (var file in HuggingFaceExport.Write(source, folder, format)) ctx.Out.WriteLine(Path.Combine(folder, file));
            }
            if (ggufFile is not null)
            {
                GgufExport.Write(source, ggufFile, format);
                ctx.Out.WriteLine(ggufFile);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
