using ToolSharp.Core.Errors;

namespace ToolSharp.Core.Formats;

/// <summary>The registry of tool-call formats by name.</summary>
public static class ToolCallFormats
{
    public static readonly ToolCallFormat Hermes = new HermesFormat();
    public static readonly ToolCallFormat Qwen3Coder = new Qwen3CoderFormat();
    public static readonly ToolCallFormat Llama3 = new Llama3JsonFormat();
    public static readonly ToolCallFormat Mistral = new MistralFormat();
    public static readonly ToolCallFormat Pythonic = new PythonicFormat();
    public static readonly ToolCallFormat Json = new JsonFormat();

    /// <summary>Every format, in the order help texts list them.</summary>
    public static IReadOnlyList<ToolCallFormat> All { get; } = [Hermes, Qwen3Coder, Llama3, Mistral, Pythonic, Json];

    private static readonly Dictionary<string, ToolCallFormat> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["qwen"] = Hermes, ["qwen2.5"] = Hermes, ["qwen3"] = Hermes,
        ["llama3.1"] = Llama3, ["llama3.2"] = Llama3,
        ["python"] = Pythonic, ["bfcl"] = Pythonic,
    };

    /// <summary>The names accepted by <see cref="Get"/>, canonical names first.</summary>
    public static IEnumerable<string> Names => All.Select(f => f.Name);

    public static bool TryGet(string name, out ToolCallFormat format)
    {
        format = All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))!;
        if (format is not null) return true;
        return Aliases.TryGetValue(name, out format!);
    }

    /// <summary>Looks up a format by name or alias; an unknown name is an error listing the known ones.</summary>
    public static ToolCallFormat Get(string name) =>
        TryGet(name, out var format)
            ? format
            : throw new ToolSharpException($"unknown tool-call format '{name}' (expected one of: {string.Join(", ", Names)})");
}
