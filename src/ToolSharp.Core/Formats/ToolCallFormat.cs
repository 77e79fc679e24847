using ToolSharp.Core.Schema;
using ToolSharp.Core.Tools;

namespace ToolSharp.Core.Formats;

/// <summary>A textual tool-call convention (Hermes tags, Llama JSON, Python calls, …): parse model text into calls and format calls into text.</summary>
/// <remarks>
/// Which format a model is prompted with is an evaluation factor, so every format has a stable <see cref="Name"/>.
/// <see cref="Parse"/> never throws on model text: malformed output yields <see cref="ParsedOutput.Errors"/>.
/// </remarks>
public abstract class ToolCallFormat
{
    /// <summary>The stable name used in configs, CLI flags and result tables.</summary>
    public abstract string Name { get; }

    /// <summary>One line describing the convention, for help texts.</summary>
    public abstract string Description { get; }

    /// <summary>Strings at which generation may stop after a complete call (the stop string is part of the call text).</summary>
    public virtual IReadOnlyList<string> StopSequences => [];

    /// <summary>Reads reasoning, content and tool calls. When <paramref name="tools"/> are given, calls are also checked
    /// against them (unknown function, argument schema) and the errors reported.</summary>
    /// <param name="text">The model's output.</param>
    /// <param name="tools">The offered tools, to type values (qwen3-coder) and validate calls; null to skip validation.</param>
    /// <param name="reasoningOpenedByPrompt">True when the prompt already opened a <c>&lt;think&gt;</c> block.</param>
    public ParsedOutput Parse(string text, IReadOnlyList<ToolSpec>? tools = null, bool reasoningOpenedByPrompt = false)
    {
        var (reasoning, rest) = ReasoningSplitter.Split(text ?? "", reasoningOpenedByPrompt);
        var body = new CallParseBuilder(tools);
        ParseBody(rest, body);
        if (tools is not null)
        {
            foreach (var call in body.Calls)
                body.Errors.AddRange(ArgumentValidator.Validate(call, tools));
        }
        return new ParsedOutput(body.Content.ToString().Trim(), reasoning, body.Calls, body.Errors);
    }

    /// <summary>Writes calls in this format (no surrounding content).</summary>
    public abstract string Format(IReadOnlyList<ToolCall> calls);

    /// <summary>Writes an assistant turn: its content followed by its calls, the way the format places them.</summary>
    public virtual string FormatTurn(string? content, IReadOnlyList<ToolCall> calls)
    {
        if (calls.Count == 0) return content ?? "";
        if (string.IsNullOrEmpty(content)) return Format(calls);
        return content + "\n" + Format(calls);
    }

    /// <summary>Instructions that tell a model, in prompt mode, which tools exist and how to call them in this format.</summary>
    public abstract string DescribeTools(IReadOnlyList<ToolSpec> tools);

    /// <summary>Reads <paramref name="text"/> (reasoning already removed) into content, calls and errors.</summary>
    protected abstract void ParseBody(string text, CallParseBuilder output);

    public override string ToString() => Name;
}
