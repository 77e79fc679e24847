using ToolSharp.Text;
using System.CommandLine;
using System.Globalization;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Text.Tokenization;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp tokenize</c>: text → token ids (space-separated), or ids → text with <c>--decode</c>.</summary>
public static class TokenizeCommand
{
    public static Command Create(CliContext ctx)
    {
        var tokenizer = new Option<string>("--tokenizer") { Description = "A tokenizer.json (Hugging Face byte-level BPE or the built-in one), a folder holding one, or 'builtin'.", Required = true };
        var text = new Option<string?>("--text") { Description = "The text to encode (or, with --decode, the ids)." };
        var file = new Option<string?>("--file", "-f") { Description = "Read the text (or ids) from this file; '-' or neither option reads standard input." };
        var decode = new Option<bool>("--decode", "-d") { Description = "Decode space-separated ids to text instead." };
        var noSpecial = new Option<bool>("--no-special") { Description = "Encode special-token strings (<|im_start|>, …) as plain text instead of their ids." };
        var skipSpecial = new Option<bool>("--skip-special") { Description = "With --decode: leave special tokens out of the text." };

        var command = new Command("tokenize", Help.WithExamples(
            "Encode text to token ids (printed space-separated on one line) or decode ids back to text. Prints nothing else.",
            "toolsharp tokenize --tokenizer ../shared/tokenizers/qwen3/tokenizer.json --text 'Hello, world!'",
            "toolsharp tokenize --tokenizer ../shared/tokenizers/qwen3/tokenizer.json --file prompt.txt",
            "toolsharp tokenize --tokenizer ../shared/tokenizers/qwen3/tokenizer.json --decode --text '9707 11 1879 0'"))
        {
            tokenizer, text, file, decode, noSpecial, skipSpecial,
        };
        command.SetAction(parse =>
        {
            var inline = parse.GetValue(text);
            var path = parse.GetValue(file);
            if (inline is not null && path is not null) throw new UsageException("give either --text or --file, not both");
            var input = inline ?? Input.ReadAllText(ctx, path);
            var tok = Tokenizers.Load(parse.GetValue(tokenizer)!);
            if (parse.GetValue(decode))
            {
                var ids = new List<int>();
                foreach (var part in input.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!int.TryParse(part.Trim(',', '[', ']'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
                        throw new UsageException($"--decode expects space-separated token ids, found '{part}'");
                    if (tok.IdToToken(id) is null)
                        throw new UsageException($"token id {id} is outside the vocabulary (size {tok.VocabularySize})");
                    ids.Add(id);
                }
                ctx.Out.Write(tok.Decode(ids, parse.GetValue(skipSpecial)));
                return ExitCodes.Ok;
            }
            ctx.Out.WriteLine(string.Join(' ', tok.Encode(input, allowSpecialTokens: !parse.GetValue(noSpecial))));
            return ExitCodes.Ok;
        });
        return command;
    }
}
