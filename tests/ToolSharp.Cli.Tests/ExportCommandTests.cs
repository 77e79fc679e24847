using ToolSharp.Models;
using ToolSharp.Models.Configuration;
using ToolSharp.Testing;
using ToolSharp.Text.Builtin;

namespace ToolSharp.Cli.Tests;

public class ExportCommandTests
{
    internal static string MicroRun(TempDirectory dir, Architecture arch = Architecture.Qwen3)
    {
        var path = Path.Combine(dir.Path, $"micro-{arch}");
        var config = ModelPresets.Tiny(BuiltinTokenizer.Size) with
        {
            Architecture = arch, HiddenSize = 32, NumLayers = 2, NumHeads = 2, NumKvHeads = 1, HeadDim = 16, IntermediateSize = 64,
            AttentionBias = arch == Architecture.Llama, TieWordEmbeddings = arch != Architecture.Llama,
        };
        Transformer.Create(config, 5).Save(path);
        File.WriteAllText(Path.Combine(path, "tokenizer.json"), BuiltinTokenizer.Instance.ToTokenizerJson());
        return path;
    }

    [Fact]
    public void Export_writes_a_hugging_face_folder_and_a_gguf_file()
    {
        using var dir = new TempDirectory();
        var run = MicroRun(dir);
        var hf = Path.Combine(dir.Path, "hf");
        var gguf = Path.Combine(dir.Path, "out", "m.gguf");
        var result = CliRunner.Run("export", run, "--to", hf, "--gguf", gguf, "--dtype", "f16");
        result.ExitCode.ShouldBe(0, result.Err);
        result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe([
            .. new[] { "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json" }.Select(f => Path.Combine(hf, f)),
            gguf]);
        File.ReadAllBytes(gguf)[..4].ShouldBe("GGUF"u8.ToArray());
        Transformer.Load(hf).Config.Architecture.ShouldBe(Architecture.Qwen3);
        result.Err.ShouldContain("built-in tokenizer");
    }

    [Fact]
    public void Export_errors_are_one_line()
    {
        using var dir = new TempDirectory();
        var none = CliRunner.Run("export", MicroRun(dir));
        none.ExitCode.ShouldBe(2);
        none.Err.ShouldContain("--to DIR, --gguf FILE");
        var missing = CliRunner.Run("export", Path.Combine(dir.Path, "nope"), "--to", Path.Combine(dir.Path, "x"));
        missing.ExitCode.ShouldBe(1);
        missing.Err.Trim().Split('\n').Length.ShouldBe(1);
        missing.Err.ShouldContain("no such run or checkpoint directory");
        var dtype = CliRunner.Run("export", MicroRun(dir), "--gguf", Path.Combine(dir.Path, "m.gguf"), "--dtype", "q4");
        dtype.ExitCode.ShouldBe(1);
        dtype.Err.ShouldContain("--dtype");
    }
}
