namespace ToolSharp.Evaluation.Sweeps;

/// <summary>A named system-prompt variant; <see cref="Text"/> null means "the environment's default instructions".</summary>
public sealed record SystemPrompt(string Name, string? Text)
{
    /// <summary>The text used for an environment: the variant's own, or the environment's default.</summary>
    public string Resolve(string environmentDefault) => Text ?? environmentDefault;
}
