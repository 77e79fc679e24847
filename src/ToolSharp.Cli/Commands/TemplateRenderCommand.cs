using ToolSharp.Core.WireFormats;
using System.CommandLine;
using System.Text.Json;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Core.Json;
using ToolSharp.Text.Templates;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp template render</c>: a conversation JSON through a chat template; prints the rendered text and nothing else.</summary>
public static class TemplateRenderCommand
{
    public static Command Create(CliContext ctx)
    {
        var template = new Option<string>("--template", "-t") { Description = "A .jinja file or a tokenizer_config.json holding chat_template (its bos/eos tokens are passed too).", Required = true };
        var conversation = new Option<string?>("--conversation", "-c") { Description = "{\"messages\": [...], \"tools\": [...], \"bos_token\": ..., \"eos_token\": ..., other variables} in OpenAI chat shape; '-' or omitted reads standard input." };
        var generation = new Option<bool>("--add-generation-prompt", "-g") { Description = "End with the assistant header so a model continues from there." };
        var vars = new Option<string[]>("--var") { Description = "A template variable name=value; the value is JSON when it parses (true, 3, \"x\", {...}), else a string. Repeatable.", AllowMultipleArgumentsPerToken = false };

        var command = new Command("render", Help.WithExamples(
            "Render a conversation through a Hugging Face chat template, byte for byte as Python Jinja2 under transformers. " +
            "Prints the text exactly (no added newline). A template's raise_exception exits 1 with its message.",
            "toolsharp template render --template ../shared/chat-templates/Qwen-Qwen3-0.6B.jinja --conversation conv.json --add-generation-prompt",
            "toolsharp template render -t ../shared/tokenizers/qwen3/tokenizer_config.json -c conv.json -g --var enable_thinking=false",
            "toolsharp template render -t ../shared/chat-templates/meta-llama-Llama-3.1-8B-Instruct.jinja -c conv.json --var date_string='\"01 Jan 2025\"'"))
        {
            template, conversation, generation, vars,
        };
        command.SetAction(parse =>
        {
            var chat = ChatTemplate.FromFile(parse.GetValue(template)!);
            var convPath = parse.GetValue(conversation);
            var doc = JsonValues.ParseText(Input.ReadAllText(ctx, convPath), Input.Label(convPath));
            var variables = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var v in parse.GetValue(vars) ?? [])
            {
                var eq = v.IndexOf('=');
                if (eq <= 0) throw new UsageException($"--var expects name=value, found '{v}'");
                variables[v[..eq]] = ParseValue(v[(eq + 1)..]);
            }
            ctx.Out.Write(chat.RenderDocument(doc, parse.GetValue(generation), variables, Input.Label(convPath)));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static JsonElement ParseValue(string text)
    {
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(text);
        }
    }
}
