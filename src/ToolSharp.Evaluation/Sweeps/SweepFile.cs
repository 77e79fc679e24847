using System.Globalization;
using ToolSharp.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ToolSharp.Evaluation.Sweeps;

/// <summary>Reads sweep files (YAML, or JSON, which YAML reads too); every error names file, line, field, expected vs. found.</summary>
/// <remarks>
/// <code>
/// name: demo
/// models:
///   - {name: qwen, model: "openai:http://gpu1:8000/v1,http://gpu2:8000/v1#Qwen/Qwen3-8B", concurrency: 16}
///   - {name: tiny, model: "builtin:checkpoints/tiny"}
/// environments:
///   - {env: "arith:levels=1-2", split: test, tasks: 50}
///   - {env: bfcl, split: simple_python, tasks: 40, sample_seed: 1}
/// factors:
///   seeds: [1, 2, 3]
///   system_prompts: [default, bfcl, minimal, {name: terse, text: "Answer briefly."}, {name: mine, file: prompts/mine.txt}]
///   templates: [native, packed]
///   history: [keep, drop-reasoning, "window:4", "truncate:500"]
///   formats: [native, hermes, pythonic]
///   temperatures: [0.0, 0.7]
///   top_p: [1.0]
/// design: {kind: random, budget: 12, seed: 7}     # or full, ofat
/// trials: 1
/// max_turns: 8
/// max_tool_calls: 16
/// max_tokens: 1024
/// price_per_million: {prompt: 0.15, completion: 0.6}
/// </code>
/// </remarks>
public static class SweepFile
{
    private static readonly string[] TopLevel = ["name", "models", "environments", "factors", "design", "trials", "max_turns", "max_tool_calls", "max_tokens", "price_per_million"];

    public static SweepDefinition Load(string path)
    {
        if (!File.Exists(path)) throw new ToolSharpException($"sweep file not found: {path}");
        return Parse(File.ReadAllText(path), path, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    public static SweepDefinition Parse(string text, string source = "<sweep>", string? baseDirectory = null)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException ex)
        {
            throw new InputFormatException(source, "", "valid YAML or JSON", ex.InnerException?.Message ?? ex.Message, (int)ex.Start.Line);
        }
        if (stream.Documents.Count == 0) throw new InputFormatException(source, "", "a sweep mapping", "an empty file", 1);
        var r = new Reader(source);
        var root = r.Map(stream.Documents[0].RootNode, "");
        r.RejectUnknown(root, "", TopLevel);

        var models = r.List(r.Require(root, "models", ""), "models").Select((n, i) => ReadModel(r, n, $"models[{i}]")).ToList();
        if (models.Count == 0) throw r.Error(root, "models", "at least one model", "an empty list");
        var duplicate = models.GroupBy(m => m.Label).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw r.Error(root, "models", "unique model names", $"'{duplicate.Key}' twice");
        var envs = r.List(r.Require(root, "environments", ""), "environments").Select((n, i) => ReadEnvironment(r, n, $"environments[{i}]")).ToList();
        if (envs.Count == 0) throw r.Error(root, "environments", "at least one environment", "an empty list");

        var factors = root.Children.TryGetValue(new YamlScalarNode("factors"), out var f) ? ReadFactors(r, f, baseDirectory) : new FactorLevels();
        var design = root.Children.TryGetValue(new YamlScalarNode("design"), out var d) ? ReadDesign(r, d) : new SweepDesign();
        (double, double)? price = null;
        if (root.Children.TryGetValue(new YamlScalarNode("price_per_million"), out var p))
        {
            var pm = r.Map(p, "price_per_million");
            r.RejectUnknown(pm, "price_per_million", ["prompt", "completion"]);
            price = (r.Double(r.Require(pm, "prompt", "price_per_million"), "price_per_million.prompt"),
                     r.Double(r.Require(pm, "completion", "price_per_million"), "price_per_million.completion"));
        }

        return new SweepDefinition
        {
            Name = r.OptString(root, "name", "") ?? "sweep",
            Models = models,
            Environments = envs,
            Factors = factors,
            Design = design,
            Trials = r.OptInt(root, "trials", "", 1, min: 1),
            MaxTurns = root.Children.ContainsKey(new YamlScalarNode("max_turns")) ? r.OptInt(root, "max_turns", "", 8, min: 1) : null,
            MaxToolCalls = root.Children.ContainsKey(new YamlScalarNode("max_tool_calls")) ? r.OptInt(root, "max_tool_calls", "", 16, min: 0) : null,
            MaxTokens = root.Children.ContainsKey(new YamlScalarNode("max_tokens")) ? r.OptInt(root, "max_tokens", "", 1024, min: 1) : null,
            PricePerMillion = price,
        };
    }

    private static ModelEntry ReadModel(Reader r, YamlNode node, string field)
    {
        if (node is YamlScalarNode s)
        {
            var spec = r.String(s, field);
            return new ModelEntry(DefaultLabel(spec), spec);
        }
        var m = r.Map(node, field);
        r.RejectUnknown(m, field, ["name", "model", "concurrency"]);
        var modelSpec = r.String(r.Require(m, "model", field), field + ".model");
        if (!modelSpec.StartsWith("openai:", StringComparison.Ordinal) && !modelSpec.StartsWith("builtin:", StringComparison.Ordinal))
            throw r.Error(m, "model", "openai:URL#MODEL or builtin:PATH", $"'{modelSpec}'", field);
        return new ModelEntry(r.OptString(m, "name", field) ?? DefaultLabel(modelSpec), modelSpec, r.OptInt(m, "concurrency", field, 8, min: 1));
    }

    private static string DefaultLabel(string spec) => spec.Contains('#') ? spec[(spec.LastIndexOf('#') + 1)..] : Path.GetFileName(spec.TrimEnd('/'));

    private static EnvironmentEntry ReadEnvironment(Reader r, YamlNode node, string field)
    {
        var m = r.Map(node, field);
        r.RejectUnknown(m, field, ["env", "split", "tasks", "sample_seed"]);
        int? sampleSeed = m.Children.ContainsKey(new YamlScalarNode("sample_seed")) ? r.OptInt(m, "sample_seed", field, 0, min: 0) : null;
        return new EnvironmentEntry(
            r.String(r.Require(m, "env", field), field + ".env"),
            r.OptString(m, "split", field) ?? "test",
            r.OptInt(m, "tasks", field, 20, min: 1),
            sampleSeed);
    }

    private static FactorLevels ReadFactors(Reader r, YamlNode node, string? baseDirectory)
    {
        var m = r.Map(node, "factors");
        r.RejectUnknown(m, "factors", ["seeds", "system_prompts", "templates", "history", "formats", "temperatures", "top_p"]);
        var levels = new FactorLevels();
        if (r.Opt(m, "seeds") is { } seeds) levels = levels with { Seeds = r.NonEmpty(seeds, "factors.seeds").Select((n, i) => r.Int(n, $"factors.seeds[{i}]")).ToList() };
        if (r.Opt(m, "system_prompts") is { } prompts) levels = levels with { SystemPrompts = r.NonEmpty(prompts, "factors.system_prompts").Select((n, i) => ReadPrompt(r, n, $"factors.system_prompts[{i}]", baseDirectory)).ToList() };
        if (r.Opt(m, "templates") is { } templates) levels = levels with { Templates = Strings(r, templates, "factors.templates", ["native", "packed"]) };
        if (r.Opt(m, "history") is { } history) levels = levels with { History = Strings(r, history, "factors.history", null, s => Core.History.HistoryPolicies.Parse(s).Name, Core.History.HistoryPolicies.Syntax) };
        if (r.Opt(m, "formats") is { } formats) levels = levels with { Formats = Strings(r, formats, "factors.formats", null, s => s == "native" ? s : Core.Formats.ToolCallFormats.Get(s).Name, "native or a format: " + string.Join(", ", Core.Formats.ToolCallFormats.Names)) };
        if (r.Opt(m, "temperatures") is { } temps) levels = levels with { Temperatures = r.NonEmpty(temps, "factors.temperatures").Select((n, i) => r.Double(n, $"factors.temperatures[{i}]")).ToList() };
        if (r.Opt(m, "top_p") is { } topP) levels = levels with { TopP = r.NonEmpty(topP, "factors.top_p").Select((n, i) => r.Double(n, $"factors.top_p[{i}]")).ToList() };
        var names = levels.SystemPrompts.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        if (names is not null) throw r.Error(m, "system_prompts", "unique prompt names", $"'{names.Key}' twice", "factors");
        return levels;
    }

    private static List<string> Strings(Reader r, YamlNode node, string field, string[]? allowed, Func<string, string>? normalize = null, string? expected = null) =>
        r.NonEmpty(node, field).Select((n, i) =>
        {
            var s = r.String(n, $"{field}[{i}]");
            if (allowed is not null && !allowed.Contains(s)) throw r.ErrorAt(n, $"{field}[{i}]", string.Join(" or ", allowed), $"'{s}'");
            try { return normalize is null ? s : normalize(s); }
            catch (ToolSharpException) { throw r.ErrorAt(n, $"{field}[{i}]", expected ?? "a known value", $"'{s}'"); }
        }).ToList();

    private static SystemPrompt ReadPrompt(Reader r, YamlNode node, string field, string? baseDirectory)
    {
        if (node is YamlScalarNode)
        {
            var name = r.String(node, field);
            var builtin = SystemPrompts.All.FirstOrDefault(p => p.Name == name);
            return builtin ?? throw r.ErrorAt(node, field, $"a built-in prompt ({SystemPrompts.Names}) or {{name, text}} / {{name, file}}", $"'{name}'");
        }
        var m = r.Map(node, field);
        r.RejectUnknown(m, field, ["name", "text", "file"]);
        var promptName = r.String(r.Require(m, "name", field), field + ".name");
        if (r.Opt(m, "text") is { } text) return new SystemPrompt(promptName, r.String(text, field + ".text"));
        if (r.Opt(m, "file") is { } file)
        {
            var rel = r.String(file, field + ".file");
            var path = baseDirectory is null ? rel : Path.Combine(baseDirectory, rel);
            if (!File.Exists(path)) throw r.ErrorAt(file, field + ".file", "an existing text file", $"'{path}' (missing)");
            return new SystemPrompt(promptName, File.ReadAllText(path).TrimEnd());
        }
        throw r.ErrorAt(node, field, "'text' or 'file'", "neither");
    }

    private static SweepDesign ReadDesign(Reader r, YamlNode node)
    {
        if (node is YamlScalarNode) return new SweepDesign(Kind(r, node, "design"));
        var m = r.Map(node, "design");
        r.RejectUnknown(m, "design", ["kind", "budget", "seed"]);
        var kind = Kind(r, r.Require(m, "kind", "design"), "design.kind");
        int? budget = r.Opt(m, "budget") is { } b ? r.Int(b, "design.budget") : null;
        if (kind == DesignKind.Random && budget is null) throw r.ErrorAt(m, "design.budget", "a budget for the random design", "none");
        if (budget is < 1) throw r.ErrorAt(m, "design.budget", "at least 1", budget.ToString()!);
        return new SweepDesign(kind, budget, (ulong)r.OptInt(m, "seed", "design", 0, min: 0));
    }

    private static DesignKind Kind(Reader r, YamlNode node, string field)
    {
        var s = r.String(node, field);
        try { return SweepDesign.ParseKind(s); }
        catch (ToolSharpException) { throw r.ErrorAt(node, field, "full, ofat or random", $"'{s}'"); }
    }

    /// <summary>Typed access to YAML nodes with errors that name the line and field.</summary>
    private sealed class Reader(string source)
    {
        public InputFormatException ErrorAt(YamlNode node, string field, string expected, string found) =>
            new(source, field, expected, found, (int)node.Start.Line);

        public InputFormatException Error(YamlMappingNode map, string key, string expected, string found, string parent = "") =>
            ErrorAt(Opt(map, key) ?? map, Join(parent, key), expected, found);

        private static string Join(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;

        public YamlMappingNode Map(YamlNode node, string field) =>
            node as YamlMappingNode ?? throw ErrorAt(node, field.Length == 0 ? "(top level)" : field, "a mapping", Describe(node));

        public IReadOnlyList<YamlNode> List(YamlNode node, string field) =>
            node is YamlSequenceNode seq ? seq.Children.ToList() : throw ErrorAt(node, field, "a list", Describe(node));

        public IReadOnlyList<YamlNode> NonEmpty(YamlNode node, string field)
        {
            var list = List(node, field);
            return list.Count > 0 ? list : throw ErrorAt(node, field, "at least one level", "an empty list");
        }

        public YamlNode? Opt(YamlMappingNode map, string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

        public YamlNode Require(YamlMappingNode map, string key, string parent) =>
            Opt(map, key) ?? throw ErrorAt(map, Join(parent, key), $"a '{key}' entry", "none");

        public void RejectUnknown(YamlMappingNode map, string parent, string[] known)
        {
            foreach (var (k, _) in map.Children)
            {
                var name = (k as YamlScalarNode)?.Value ?? "?";
                if (!known.Contains(name)) throw ErrorAt(k, Join(parent, name), "one of " + string.Join(", ", known), $"unknown key '{name}'");
            }
        }

        public string String(YamlNode node, string field) =>
            node is YamlScalarNode { Value: { } v } ? v : throw ErrorAt(node, field, "a string", Describe(node));

        public string? OptString(YamlMappingNode map, string key, string parent) => Opt(map, key) is { } n ? String(n, Join(parent, key)) : null;

        public int Int(YamlNode node, string field) =>
            node is YamlScalarNode { Value: { } v } && int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)
                ? i
                : throw ErrorAt(node, field, "a whole number", Describe(node));

        public int OptInt(YamlMappingNode map, string key, string parent, int fallback, int min)
        {
            if (Opt(map, key) is not { } n) return fallback;
            var v = Int(n, Join(parent, key));
            return v >= min ? v : throw ErrorAt(n, Join(parent, key), $"at least {min}", v.ToString(CultureInfo.InvariantCulture));
        }

        public double Double(YamlNode node, string field) =>
            node is YamlScalarNode { Value: { } v } && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                ? d
                : throw ErrorAt(node, field, "a number", Describe(node));

        private static string Describe(YamlNode node) => node switch
        {
            YamlScalarNode s => $"'{s.Value}'",
            YamlSequenceNode => "a list",
            YamlMappingNode => "a mapping",
            _ => node.NodeType.ToString(),
        };
    }
}
