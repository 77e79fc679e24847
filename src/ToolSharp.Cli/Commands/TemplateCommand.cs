using System.CommandLine;
using ToolSharp.Cli.Infrastructure;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp template …</c>: Hugging Face chat templates (Jinja2).</summary>
public static class TemplateCommand
{
    public static Command Create(CliContext ctx)
    {
        var command = new Command("template", Help.WithExamples(
            "Chat templates: render conversations exactly as transformers' apply_chat_template does.",
            "toolsharp template render --help"));
        command.Add(TemplateRenderCommand.Create(ctx));
        return command;
    }
}
