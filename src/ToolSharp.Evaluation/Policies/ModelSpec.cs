using ToolSharp.Core.Errors;

namespace ToolSharp.Evaluation.Policies;

/// <summary>A parsed model name: <c>openai:BASE_URL[,BASE_URL…]#MODEL</c> or <c>builtin:CHECKPOINT_DIR[#OPTIONS]</c>.</summary>
/// <param name="Options">For built-in models: what follows the directory after '#' (chat-template options of a Hugging
/// Face folder, such as <c>format=hermes,thinking=true</c>, read by the engine), or null.</param>
public sealed record ModelSpec(string Kind, string Model, IReadOnlyList<Uri> BaseUrls, string? CheckpointPath, string? Options = null)
{
    public const string Syntax = "openai:BASE_URL[,BASE_URL…]#MODEL or builtin:CHECKPOINT_DIR[#OPTIONS]";

    public static ModelSpec Parse(string spec)
    {
        if (spec.StartsWith("openai:", StringComparison.Ordinal))
        {
            var rest = spec["openai:".Length..];
            var hash = rest.LastIndexOf('#');
            if (hash <= 0 || hash == rest.Length - 1)
                throw new ToolSharpException($"model '{spec}': expected {Syntax} (the model name follows '#')");
            var urls = rest[..hash].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u =>
                Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                    ? uri
                    : throw new ToolSharpException($"model '{spec}': '{u}' is not an http(s) URL")).ToList();
            return new ModelSpec("openai", rest[(hash + 1)..], urls, null);
        }
        if (spec.StartsWith("builtin:", StringComparison.Ordinal))
        {
            var path = spec["builtin:".Length..];
            string? options = null;
            if (path.LastIndexOf('#') is var hash and >= 0) (path, options) = (path[..hash], path[(hash + 1)..]);
            if (path.Length == 0) throw new ToolSharpException($"model '{spec}': expected {Syntax}");
            return new ModelSpec("builtin", Path.GetFileName(Path.GetFullPath(path).TrimEnd('/')), [], path, string.IsNullOrWhiteSpace(options) ? null : options);
        }
        throw new ToolSharpException($"model '{spec}': expected {Syntax}");
    }

    /// <summary>What identifies the model in configuration hashes: kind and model name, or the checkpoint's content hash
    /// (and its options). Base URLs are left out so adding or moving servers does not orphan finished episodes.</summary>
    public string HashKey => Kind == "builtin" && CheckpointPath is not null && Directory.Exists(CheckpointPath)
        ? "builtin@" + CheckpointHash.Of(CheckpointPath) + (Options is null ? "" : "#" + Options)
        : $"{Kind}#{Model}";
}
