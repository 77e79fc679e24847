using ToolSharp.Core.Errors;
using ToolSharp.Core.Formats;

namespace ToolSharp.Inference.Rendering;

/// <summary>How a Hugging Face folder's chat template is used, written after the folder as
/// <c>DIR#format=hermes,thinking=true,accept_drift=true</c> (in <c>builtin:DIR#…</c> and <c>toolsharp train --model DIR#…</c>).</summary>
/// <param name="Format">The tool-call format model output is read in; null detects it from the template.</param>
/// <param name="Thinking">The template's <c>enable_thinking</c> (Qwen3); false unless set, so tool-calling turns start without reasoning.</param>
/// <param name="AcceptDrift">Run even when rollouts' turn-by-turn tokens differ from the template's full render.</param>
public sealed record ChatTemplateOptions(string? Format = null, bool Thinking = false, bool AcceptDrift = false)
{
    public const string Syntax = "DIR#format=NAME,thinking=true|false,accept_drift=true|false (each optional)";

    public static ChatTemplateOptions Default { get; } = new();

    /// <summary>True when the options change what the model is shown or how its output is read (not just whether a drift is accepted).</summary>
    public bool ChangesRendering => Format is not null || Thinking;

    /// <summary>Splits <c>DIR#options</c> into the directory and its options (the last '#' starts them).</summary>
    public static (string Directory, ChatTemplateOptions Options) Split(string modelPath)
    {
        var hash = modelPath.LastIndexOf('#');
        return hash < 0 ? (modelPath, Default) : (modelPath[..hash], Parse(modelPath[(hash + 1)..], modelPath));
    }

    /// <summary>Reads <c>key=value,…</c>; an unknown key or value is an error naming it.</summary>
    public static ChatTemplateOptions Parse(string? text, string source)
    {
        var options = Default;
        if (string.IsNullOrWhiteSpace(text)) return options;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            var key = eq < 0 ? part : part[..eq].Trim();
            var value = eq < 0 ? "" : part[(eq + 1)..].Trim();
            options = key.Replace('-', '_') switch
            {
                "format" => options with { Format = ToolCallFormats.TryGet(value, out var f) ? f.Name : throw Error(source, key, $"one of {string.Join(", ", ToolCallFormats.Names)}", value) },
                "thinking" => options with { Thinking = Bool(source, key, value) },
                "accept_drift" => options with { AcceptDrift = Bool(source, key, value) },
                _ => throw Error(source, key, "format, thinking or accept_drift", key),
            };
        }
        return options;
    }

    /// <summary>The options as written after '#', or "" for the defaults.</summary>
    public override string ToString() => string.Join(",", new[]
    {
        Format is null ? null : $"format={Format}",
        Thinking ? "thinking=true" : null,
        AcceptDrift ? "accept_drift=true" : null,
    }.Where(s => s is not null));

    private static bool Bool(string source, string key, string value) => value switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw Error(source, key, "true or false", value),
    };

    private static InputFormatException Error(string source, string key, string expected, string found) =>
        new(source, key, expected, $"'{found}'");
}
