using ToolSharp.Core.WireFormats;
using System.CommandLine;
using System.Text.Json;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Core.Json;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp format</c>: tool calls as JSON → the text a model would write in a given format.</summary>
public static class FormatCommand
{
    public static Command Create(CliContext ctx)
    {
        var format = FormatOption.Create();
        var input = new Option<string?>("--input", "-i") { Description = "Read the calls JSON from this file instead of standard input." };
        var content = new Option<string?>("--content") { Description = "Text the assistant writes before its calls (placed as the format places content)." };

        var command = new Command("format", Help.WithExamples(
            "Write tool calls in a format's text form. Input: [{\"name\": …, \"arguments\": {…}}] (OpenAI tool_calls entries and a single object also work).",
            "echo '[{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}]' | toolsharp format --format hermes",
            "toolsharp format -f pythonic --input calls.json",
            "toolsharp format -f llama3 --content 'Let me check.' < calls.json"))
        {
            format, input, content,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(input);
            var source = Input.Label(path);
            var root = JsonValues.ParseText(Input.ReadAllText(ctx, path), source);
            var array = root.ValueKind == JsonValueKind.Object ? JsonValues.Build(w => { w.WriteStartArray(); root.WriteTo(w); w.WriteEndArray(); }) : root;
            var calls = OpenAiChatJson.ReadToolCalls(array, source, "$");
            ctx.Out.WriteLine(parse.GetValue(format)!.FormatTurn(parse.GetValue(content), calls));
            return ExitCodes.Ok;
        });
        return command;
    }
}
