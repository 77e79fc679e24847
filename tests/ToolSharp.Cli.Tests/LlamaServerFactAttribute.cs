namespace ToolSharp.Cli.Tests;

/// <summary>A fact that needs the llama-server binary tools/llama-cpp/build-llama-server.sh caches; skipped with the reason when it is absent.</summary>
public sealed class LlamaServerFactAttribute : FactAttribute
{
    /// <summary>Where the build script puts the binary (<c>$LLAMA_CPP_CACHE</c>, else <c>${XDG_CACHE_HOME:-~/.cache}/toolsharp/llama-cpp</c>).</summary>
    public static string Binary
    {
        get
        {
            var cache = Environment.GetEnvironmentVariable("LLAMA_CPP_CACHE");
            if (string.IsNullOrEmpty(cache))
            {
                var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
                if (string.IsNullOrEmpty(xdg)) xdg = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
                cache = Path.Combine(xdg, "toolsharp", "llama-cpp");
            }
            return Path.Combine(cache, "bin", "llama-server");
        }
    }

    public LlamaServerFactAttribute()
    {
        if (!File.Exists(Binary)) Skip = $"llama.cpp comparison skipped: no {Binary} (build it once with tools/llama-cpp/build-llama-server.sh, ~15 min)";
    }
}

/// <summary>The theory form of <see cref="LlamaServerFactAttribute"/>.</summary>
public sealed class LlamaServerTheoryAttribute : TheoryAttribute
{
    public LlamaServerTheoryAttribute()
    {
        if (!File.Exists(LlamaServerFactAttribute.Binary)) Skip = $"llama.cpp comparison skipped: no {LlamaServerFactAttribute.Binary} (build it once with tools/llama-cpp/build-llama-server.sh, ~15 min)";
    }
}
