namespace ToolSharp.Evaluation.Yaml;

/// <summary>A mapping type that a plain string may stand for (<c>- "openai:…"</c> for <c>- {model: "openai:…"}</c>).</summary>
public interface IYamlShorthand
{
    /// <summary>The value a string stands for (called on a default instance).</summary>
    object FromScalar(string value);
}
