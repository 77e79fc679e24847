using System.CommandLine;
using System.Text.Json;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Core.Formats;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp parse</c>: model output text → tool calls as JSON (or the parse error as JSON).</summary>
public static class ParseCommand
{
    public static Command Create(CliContext ctx)
    {
        var format = FormatOption.Create();
        var tools = new Option<FileInfo?>("--tools", "-t") { Description = "Tools JSON (OpenAI tools array, BFCL function docs, or {\"tools\": [...]}); enables unknown-function and schema checks, and types qwen3-coder values." };
        var input = new Option<string?>("--input", "-i") { Description = "Read the model output from this file instead of standard input." };
        var full = new Option<bool>("--full") { Description = "Print content, reasoning, calls and all errors as one JSON object." };
        var opened = new Option<bool>("--reasoning-opened") { Description = "The prompt already opened a <think> block: text before </think> is reasoning." };

        var command = new Command("parse", Help.WithExamples(
            "Parse model output into tool calls. Prints [{\"name\": …, \"arguments\": {…}}], or {\"error\": {\"kind\": …, \"message\": …}} " +
            "for malformed output (exit 0: a malformed call is data). Exit 2 for a wrong command line.",
            "toolsharp parse --format hermes < model_output.txt",
            "toolsharp parse --format pythonic --tools bfcl_functions.json --input out.txt",
            "echo '[get_weather(city=\"Oslo\")]' | toolsharp parse -f pythonic --full"))
        {
            format, tools, input, full, opened,
        };
        command.SetAction(parse =>
        {
            var spec = parse.GetValue(tools) is { } file ? ToolFiles.Read(file.FullName) : null;
            var text = Input.ReadAllText(ctx, parse.GetValue(input));
            var result = parse.GetValue(format)!.Parse(text, spec, parse.GetValue(opened));
            ctx.Out.WriteLine(parse.GetValue(full) ? FullJson(result) : CallsOrError(result));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string CallsOrError(ParsedOutput result) => result.IsSuccess
        ? Json(w => WriteCalls(w, result.Calls))
        : Json(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("error");
            WriteError(w, result.Errors[0]);
            w.WriteEndObject();
        });

    private static string FullJson(ParsedOutput result) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("content", result.Content);
        if (result.Reasoning is null) w.WriteNull("reasoning");
        else w.WriteString("reasoning", result.Reasoning);
        w.WritePropertyName("calls");
        WriteCalls(w, result.Calls);
        w.WritePropertyName("errors");
        w.WriteStartArray();
        foreach (var e in result.Errors) WriteError(w, e);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static void WriteCalls(Utf8JsonWriter w, IReadOnlyList<ToolCall> calls)
    {
        w.WriteStartArray();
        foreach (var call in calls)
        {
            w.WriteStartObject();
            w.WriteString("name", call.Name);
            w.WritePropertyName("arguments");
            call.Arguments.WriteTo(w);
            if (call.Id is not null) w.WriteString("id", call.Id);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteError(Utf8JsonWriter w, ToolCallError e)
    {
        w.WriteStartObject();
        w.WriteString("kind", e.KindName);
        w.WriteString("message", e.Message);
        if (e.Path is not null) w.WriteString("path", e.Path);
        if (e.Position is not null) w.WriteNumber("position", e.Position.Value);
        w.WriteEndObject();
    }

    private static string Json(Action<Utf8JsonWriter> write) => JsonValues.ToCompact(JsonValues.Build(write));
}
