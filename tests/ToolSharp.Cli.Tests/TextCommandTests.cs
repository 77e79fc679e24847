using ToolSharp.Testing;

namespace ToolSharp.Cli.Tests;

public class TextCommandTests
{
    private const string Qwen3 = "tokenizers/qwen3/tokenizer.json";
    private const string Qwen3Config = "tokenizers/qwen3/tokenizer_config.json";
    private const string Mistral = "chat-templates/mistralai-Mistral-Nemo-Instruct-2407.jinja";

    [RequiresDataFact(Qwen3)]
    public void Tokenize_prints_ids_and_decode_reverses_them()
    {
        var r = CliRunner.Run("tokenize", "--tokenizer", SharedData.Path(Qwen3), "--text", "Hello, world!");
        r.ExitCode.ShouldBe(0, r.Err);
        r.Out.Trim().ShouldBe("9707 11 1879 0");
        var d = CliRunner.Run("tokenize", "--tokenizer", SharedData.Path(Qwen3), "--decode", "--text", "9707 11 1879 0");
        d.Out.ShouldBe("Hello, world!");
    }

    [RequiresDataFact(Qwen3)]
    public void Tokenize_reads_a_file_and_matches_special_tokens()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("t.txt"), "<|im_start|>user");
        CliRunner.Run("tokenize", "--tokenizer", SharedData.Path(Qwen3), "--file", dir.File("t.txt")).Out.Trim().ShouldBe("151644 872");
        CliRunner.Run("tokenize", "--tokenizer", SharedData.Path(Qwen3), "--file", dir.File("t.txt"), "--no-special").Out.ShouldNotContain("151644");
    }

    [Fact]
    public void Tokenize_with_the_builtin_tokenizer_and_bad_ids_is_a_usage_error()
    {
        CliRunner.Run("tokenize", "--tokenizer", "builtin", "--text", "hi").Out.Trim().ShouldBe("104 105");
        var r = CliRunner.Run("tokenize", "--tokenizer", "builtin", "--decode", "--text", "104 x");
        r.ExitCode.ShouldBe(2);
        r.Err.ShouldContain("expects space-separated token ids, found 'x'");
    }

    private const string Conversation = """
        {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]}
        """;

    [RequiresDataFact(Qwen3Config)]
    public void Template_render_prints_exactly_the_render()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("conv.json"), Conversation);
        var r = CliRunner.Run("template", "render", "--template", SharedData.Path(Qwen3Config), "--conversation", dir.File("conv.json"), "--add-generation-prompt", "--var", "enable_thinking=false");
        r.ExitCode.ShouldBe(0, r.Err);
        r.Out.ShouldBe("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n");
    }

    [RequiresDataFact(Mistral)]
    public void Template_raise_exception_exits_1_with_the_templates_message()
    {
        var r = CliRunner.RunWithInput("""{"messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}], "bos_token": "<s>", "eos_token": "</s>"}""",
            "template", "render", "--template", SharedData.Path(Mistral));
        r.ExitCode.ShouldBe(1);
        r.Out.ShouldBeEmpty();
        r.Err.ShouldContain("After the optional system message, conversation roles must alternate user/assistant/user/assistant/...");
        r.Err.ShouldContain("Mistral-Nemo-Instruct-2407.jinja:");
    }

    [Fact]
    public void Template_syntax_error_names_the_file_and_line()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("bad.jinja"), "line one\n{% if x %}\n{{ y }\n");
        var r = CliRunner.RunWithInput("""{"messages": []}""", "template", "render", "--template", dir.File("bad.jinja"));
        r.ExitCode.ShouldBe(1);
        r.Err.ShouldContain("bad.jinja:3:");
    }

    [RequiresDataFact(Qwen3, "datasets/gsm8k")]
    public void Bench_tokenizer_reports_tokens_per_second()
    {
        var r = CliRunner.Run("bench", "tokenizer", "--passes", "1", "--json", "--reference-node-modules", "/nonexistent");
        r.ExitCode.ShouldBe(0, r.Err);
        r.Out.ShouldContain("\"tokens_per_second\":");
        r.Out.ShouldContain("\"reference\":null");
    }
}
