using ToolSharp.Core.Errors;

namespace ToolSharp.Evaluation.Sweeps;

/// <summary>The built-in system-prompt variants a sweep can name.</summary>
/// <remarks>Published tool-calling numbers move by points when only the system prompt changes, so the variants span the
/// usual practice: the environment's own instructions, BFCL's function-calling prompt, a one-liner, nothing at all,
/// and a prompt written for multi-turn tool use.</remarks>
public static class SystemPrompts
{
    public static readonly SystemPrompt Default = new("default", null);

    /// <summary>The BFCL prompt for prompt-style function calling (its default system prompt, minus the format section, which the call format supplies).</summary>
    public static readonly SystemPrompt Bfcl = new("bfcl",
        "You are an expert in composing functions. You are given a question and a set of possible functions. Based on the question, " +
        "you will need to make one or more function/tool calls to achieve the purpose. If none of the functions can be used, point it out. " +
        "If the given question lacks the parameters required by the function, also point it out. You should only return the function calls in your response.");

    public static readonly SystemPrompt Minimal = new("minimal", "You are a helpful assistant with access to tools.");

    public static readonly SystemPrompt None = new("none", "");

    public static readonly SystemPrompt MultiTurn = new("multi-turn",
        "You are a helpful assistant that solves tasks over several turns with tools. Call a tool whenever it gives a more reliable result " +
        "than working it out yourself. After each tool result, decide whether another call is needed or you can answer. Earlier turns may be " +
        "shortened or summarised; rely on the latest tool results. When the task is done, give the final result on its own line as 'Answer: <answer>'.");

    public static IReadOnlyList<SystemPrompt> All { get; } = [Default, Bfcl, Minimal, None, MultiTurn];

    public static string Names => string.Join(", ", All.Select(p => p.Name));

    public static SystemPrompt Get(string name) =>
        All.FirstOrDefault(p => p.Name == name)
        ?? throw new ToolSharpException($"unknown system prompt '{name}' (built-in: {Names}; or give a file path)");

    /// <summary>A built-in name, or else a path to a text file whose content is the prompt (named after the file).</summary>
    public static SystemPrompt FromNameOrFile(string value, string? baseDirectory = null)
    {
        var builtin = All.FirstOrDefault(p => p.Name == value);
        if (builtin is not null) return builtin;
        var path = baseDirectory is null ? value : Path.Combine(baseDirectory, value);
        if (File.Exists(path)) return new SystemPrompt(Path.GetFileNameWithoutExtension(path), File.ReadAllText(path).TrimEnd());
        throw new ToolSharpException($"system prompt '{value}' is neither a built-in name ({Names}) nor an existing file");
    }
}
