using ToolSharp.Text.Templates.Jinja;
using System.Text.Json;
using ToolSharp.Testing;
using ToolSharp.Text.Templates;

namespace ToolSharp.Text.Tests.Templates;

/// <summary>
/// Byte-exact renders of every shared chat template against CPython Jinja2 under transformers' settings
/// (Fixtures/make_template_fixtures.py) and against @huggingface/jinja (Fixtures/make-template-fixtures.mjs).
/// </summary>
public class TemplateFixtureTests
{
    public sealed record Case(string Template, string Conversation, bool AddGenerationPrompt, Dictionary<string, JsonElement> Variables, string? Expected, string? Error)
    {
        public override string ToString() => $"{Template} × {Conversation} (generation prompt {AddGenerationPrompt}, {string.Join(", ", Variables.Select(v => $"{v.Key}={v.Value}"))})";
    }

    private static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static List<Case> Load(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(FixturePath(file)));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new Case(
            c.GetProperty("template").GetString()!,
            c.GetProperty("conversation").GetString()!,
            c.GetProperty("add_generation_prompt").GetBoolean(),
            c.GetProperty("variables").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()),
            c.TryGetProperty("expected", out var e) ? e.GetString() : null,
            c.TryGetProperty("error", out var err) ? err.GetString() : null)).ToList();
    }

    private static readonly Lazy<JsonElement> Spec = new(() => JsonDocument.Parse(File.ReadAllText(FixturePath("template-conversations.json"))).RootElement.Clone());

    private static readonly Dictionary<string, ChatTemplate> Templates = [];

    private static ChatTemplate Template(string rel)
    {
        lock (Templates)
        {
            if (!Templates.TryGetValue(rel, out var t))
            {
                // Tokens come from the fixture's variables, exactly as the reference got them.
                var loaded = ChatTemplate.FromFile(SharedData.Path(rel));
                t = Templates[rel] = ChatTemplate.FromText(loaded.Text, rel);
            }
            return t;
        }
    }

    /// <summary>Renders a case; returns the output or "error: " + the template error's problem.</summary>
    public static string Render(Case c)
    {
        var conv = Spec.Value.GetProperty("conversations").GetProperty(c.Conversation);
        JsonElement? tools = conv.TryGetProperty("tools", out var t) ? Spec.Value.GetProperty(t.GetString()!) : null;
        try
        {
            return Template(c.Template).Render(conv.GetProperty("messages"), tools, c.AddGenerationPrompt, c.Variables);
        }
        catch (TemplateError e)
        {
            return "error: " + e.Problem;
        }
    }

    private static void AssertAll(List<Case> cases, Func<Case, bool> include)
    {
        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var c in cases.Where(include))
        {
            checkedCount++;
            var got = Render(c);
            if (c.Expected is not null && got != c.Expected)
                failures.Add($"{c}:\n--- expected\n{c.Expected}\n--- got\n{got}");
            else if (c.Error is not null && !got.StartsWith("error: ", StringComparison.Ordinal))
                failures.Add($"{c}: expected error '{c.Error}', got a render");
        }
        checkedCount.ShouldBeGreaterThan(0);
        failures.ShouldBeEmpty($"{failures.Count} of {checkedCount} cases differ:\n" + string.Join("\n\n", failures.Take(5)));
    }

    [RequiresDataFact("chat-templates", "tokenizers/qwen3/tokenizer_config.json")]
    public void Every_shared_template_renders_like_python_jinja2() => AssertAll(Load("template-renders.json"), _ => true);

    [RequiresDataFact("chat-templates", "tokenizers/qwen3/tokenizer_config.json")]
    public void Raise_exception_messages_are_the_templates_own()
    {
        var cases = Load("template-renders.json").Where(c => c.Error is not null && c.Error.Contains("alternate", StringComparison.Ordinal)).ToList();
        cases.ShouldNotBeEmpty("the fixtures hold templates' raise_exception cases");
        foreach (var c in cases)
            Render(c).ShouldBe("error: " + c.Error);
    }

    [RequiresDataFact("chat-templates", "tokenizers/qwen3/tokenizer_config.json")]
    public void Renders_match_huggingface_jinja_wherever_it_renders() => AssertAll(Load("template-renders-js.json"), c => c.Error is null);
}
