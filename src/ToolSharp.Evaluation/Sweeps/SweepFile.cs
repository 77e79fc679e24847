using ToolSharp.Core.Errors;
using ToolSharp.Environments.Catalog;
using ToolSharp.Environments.Episodes;
using ToolSharp.Evaluation.Policies;
using ToolSharp.Evaluation.Yaml;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace ToolSharp.Evaluation.Sweeps;

/// <summary>Reads sweep files (YAML, or JSON, which YAML reads too) into a <see cref="SweepDefinition"/>; every error is
/// one line naming file, line, column, field, expected vs. found, and a name that does not exist lists the ones that do.</summary>
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
/// design: {kind: random, budget: 12, seed: 7}     # or full, ofat, {kind: fractional, budget: 12}
/// trials: 1
/// max_turns: 8
/// max_tool_calls: 16
/// max_tokens: 1024                                # turns, tool calls, tokens: unset = the environment's / backend's
/// price_per_million: {prompt: 0.15, completion: 0.6}
/// </code>
/// The file is deserialised into the records below (<c>factors</c> straight into <see cref="FactorLevels"/>); what the
/// types cannot say — ranges, names that must exist, entries listed twice — is checked here against the file's positions.
/// </remarks>
public static class SweepFile
{
    public static SweepDefinition Load(string path, SweepOverrides? overrides = null)
    {
        if (!File.Exists(path)) throw new ToolSharpException($"sweep file not found: {path}");
        return Parse(File.ReadAllText(path), path, Path.GetDirectoryName(Path.GetFullPath(path)), overrides);
    }

    /// <param name="overrides">Models and environments given on the command line, used instead of the file's (which may then omit them).</param>
    public static SweepDefinition Parse(string text, string source = "<sweep>", string? baseDirectory = null, SweepOverrides? overrides = null)
    {
        var (file, map) = TypedYaml.Read<FileModel>(text, source, new PromptDeserializer(baseDirectory));
        if (file is null) throw new InputFormatException(source, "", "a sweep mapping", "an empty file", 1, column: 1);
        if (overrides?.Models is { Count: > 0 } given)
            file = file with { Models = given.Select(spec => Shorthand(spec)).ToList() };
        if (overrides?.Environments is { Count: > 0 } envs)
            file = file with { Environments = envs.Select(e => new EnvironmentItem { Env = e.Spec, Split = e.Split, Tasks = e.Tasks, SampleSeed = e.SampleSeed }).ToList() };

        // Entries from the command line have no position in the file: their errors name the flag instead.
        var modelField = overrides?.Models is { Count: > 0 } ? "--model" : "models";
        var envField = overrides?.Environments is { Count: > 0 } ? "--env" : "environments";
        var models = Required(map, file.Models, "models", "at least one model").Select((m, i) => Model(map, m, $"{modelField}[{i}]")).ToList();
        var duplicate = models.Select((m, i) => (m, i)).GroupBy(x => x.m.Label).FirstOrDefault(g => g.Count() > 1)?.ToList();
        if (duplicate is not null)
            throw map.Error($"models[{duplicate[1].i}]", "unique model names", $"'{duplicate[0].m.Label}' again (also models[{duplicate[0].i}]; give one a name)");

        var environments = Required(map, file.Environments, "environments", "at least one environment").Select((e, i) => Environment(map, e, $"{envField}[{i}]")).ToList();
        for (var i = 0; i < environments.Count; i++)
        {
            var same = environments.FindIndex(e => e with { Origin = null } == environments[i] with { Origin = null });
            if (same < i) throw map.Error($"environments[{i}]", "each environment entry once", $"the same env, split and tasks as environments[{same}]");
        }

        FactorLevels factors;
        try { factors = (file.Factors ?? new FactorLevels()).Canonical(); }
        catch (FactorLevelException ex) { throw map.Error(ex.Field, ex.Expected, ex.Found); }

        return new SweepDefinition
        {
            Name = file.Name ?? "sweep",
            Models = models,
            Environments = environments,
            Factors = factors,
            Design = Design(map, file.Design ?? new DesignItem { Kind = "full" }, factors),
            Trials = AtLeast(map, file.Trials, "trials", 1) ?? 1,
            // Unset limits are the environment's (turns, tool calls) and the backend's (tokens).
            MaxTurns = AtLeast(map, file.MaxTurns, "max_turns", 1),
            MaxToolCalls = AtLeast(map, file.MaxToolCalls, "max_tool_calls", 0),
            MaxTokens = AtLeast(map, file.MaxTokens, "max_tokens", 1),
            PricePerMillion = file.PricePerMillion is { } p ? Price(map, p) : null,
        };
    }

    // NAME=SPEC names a model on the command line; a bare spec takes its default label.
    private static ModelItem Shorthand(string spec)
    {
        var eq = spec.IndexOf('=');
        return eq > 0 && !spec[..eq].Contains(':') ? new ModelItem { Name = spec[..eq], Model = spec[(eq + 1)..] } : new ModelItem { Model = spec };
    }

    private static List<T> Required<T>(YamlDocumentMap map, List<T>? items, string field, string expected) =>
        items is null ? throw map.Error(field, $"{("aeiou".Contains(field[0]) ? "an" : "a")} '{field}' entry", "none")
        : items.Count == 0 ? throw map.Error(field, expected, "an empty list")
        : items;

    private static int? AtLeast(YamlDocumentMap map, int? value, string field, int min) =>
        value is { } v && v < min ? throw map.Error(field, $"at least {min}", v.ToString(System.Globalization.CultureInfo.InvariantCulture)) : value;

    private static ModelEntry Model(YamlDocumentMap map, ModelItem item, string field)
    {
        var specField = YamlDocumentMap.Join(field, "model");
        var spec = item.Model ?? throw map.Error(specField, "a 'model' entry", "none", at: field);
        ModelSpec parsed;
        try { parsed = ModelSpec.Parse(spec); }
        catch (ToolSharpException ex) { throw map.Error(specField, ModelSpec.Syntax, $"'{spec}'{Detail(ex.Message, spec)}"); }
        if (parsed.Kind == "builtin") CheckpointExists(map, parsed.CheckpointPath!, specField);
        var concurrency = AtLeast(map, item.Concurrency, YamlDocumentMap.Join(field, "concurrency"), 1) ?? 8;
        return new ModelEntry(item.Name ?? DefaultLabel(spec), spec, concurrency);
    }

    // ModelSpec says "model 'SPEC': expected …" or "model 'SPEC': 'x' is not an http(s) URL"; keep what is not the syntax again.
    private static string Detail(string message, string spec)
    {
        var rest = message.Replace($"model '{spec}': ", "", StringComparison.Ordinal);
        return rest.StartsWith("expected ", StringComparison.Ordinal) ? "" : $" ({rest})";
    }

    /// <summary>A built-in model must be a checkpoint directory (with config.json); when it is not, list the ones next to it.</summary>
    private static void CheckpointExists(YamlDocumentMap map, string path, string field)
    {
        if (File.Exists(Path.Combine(path, "config.json"))) return;
        var full = Path.GetFullPath(path.TrimEnd('/', '\\'));
        var parent = Path.GetDirectoryName(full);
        var siblings = parent is not null && Directory.Exists(parent)
            ? Directory.EnumerateDirectories(parent).Where(d => File.Exists(Path.Combine(d, "config.json"))).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()
            : [];
        var exists = siblings.Count == 0 ? $"no checkpoints in {parent ?? full}" : $"checkpoints in {parent}: {string.Join(", ", siblings)}";
        throw map.Error(field, "a checkpoint directory with config.json", $"'builtin:{path}' ({(Directory.Exists(full) ? "no config.json" : "missing")}; {exists})");
    }

    /// <summary>A model's label when none is given: an endpoint's name after '#', or the checkpoint directory's name (with its options).</summary>
    public static string DefaultLabel(string spec)
    {
        if (spec.StartsWith("builtin:", StringComparison.Ordinal) && ModelSpec.Parse(spec) is { } builtin)
            return builtin.Options is null ? builtin.Model : $"{builtin.Model}#{builtin.Options}";
        return spec.Contains('#') ? spec[(spec.LastIndexOf('#') + 1)..] : Path.GetFileName(spec.TrimEnd('/'));
    }

    private static EnvironmentEntry Environment(YamlDocumentMap map, EnvironmentItem item, string field)
    {
        var envField = YamlDocumentMap.Join(field, "env");
        var spec = item.Env ?? throw map.Error(envField, "an 'env' entry", "none", at: field);
        string name;
        try { name = EnvironmentOptions.Parse(spec).Name; }
        catch (ToolSharpException) { throw map.Error(envField, "an environment spec such as arith or 'arith:levels=1-2'", $"'{spec}'"); }
        if (!EnvironmentCatalog.Names.Contains(name))
            throw map.Error(envField, "an environment (" + string.Join(", ", EnvironmentCatalog.Names) + ")", $"'{name}'");
        var tasks = AtLeast(map, item.Tasks, YamlDocumentMap.Join(field, "tasks"), 1) ?? 20;
        var sampleSeed = AtLeast(map, item.SampleSeed, YamlDocumentMap.Join(field, "sample_seed"), 0);
        var (line, column) = map.PositionOf(field);
        return new EnvironmentEntry(spec, item.Split ?? "test", tasks, sampleSeed) { Origin = $"{map.Source}:{line}:{column}: {field}" };
    }

    private static SweepDesign Design(YamlDocumentMap map, DesignItem item, FactorLevels factors)
    {
        var kindField = item.IsShorthand ? "design" : "design.kind";
        if (item.Kind is null) throw map.Error(kindField, "a 'kind' entry (full, ofat, random or fractional)", "none", at: "design");
        DesignKind kind;
        try { kind = SweepDesign.ParseKind(item.Kind); }
        catch (ToolSharpException) { throw map.Error(kindField, "full, ofat, random or fractional", $"'{item.Kind}'"); }
        if (kind == DesignKind.Random && item.Budget is null) throw map.Error("design.budget", "a budget for the random design", "none");
        var budget = AtLeast(map, item.Budget, "design.budget", 1);
        var seed = AtLeast(map, item.Seed, "design.seed", 0) ?? 0;
        var design = new SweepDesign(kind, budget, (ulong)seed);
        if (kind == DesignKind.Fractional)
        {
            // A budget too small to estimate every main effect is the file's error, reported at the budget.
            var counts = SweepFactors.All.Select(f => f.LevelNames(factors).Count).Where(n => n > 1).ToList();
            var needed = FractionalDesign.Parameters(counts);
            if (budget < needed)
                throw map.Error("design.budget", $"at least {needed} settings, 1 + Σ(levels − 1), so every main effect is estimable", budget.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return design;
    }

    private static (double, double) Price(YamlDocumentMap map, PriceItem p)
    {
        double Field(double? value, string key) => value switch
        {
            null => throw map.Error("price_per_million." + key, $"a '{key}' entry", "none", at: "price_per_million"),
            < 0 => throw map.Error("price_per_million." + key, "a price of at least 0", value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            _ => value.Value,
        };
        return (Field(p.Prompt, "prompt"), Field(p.Completion, "completion"));
    }

    // The file's shape. Keys are the snake_case property names; a key the records do not have is an error.
    private sealed record FileModel
    {
        public string? Name { get; init; }
        public List<ModelItem>? Models { get; init; }
        public List<EnvironmentItem>? Environments { get; init; }
        public FactorLevels? Factors { get; init; }
        public DesignItem? Design { get; init; }
        public int? Trials { get; init; }
        public int? MaxTurns { get; init; }
        public int? MaxToolCalls { get; init; }
        public int? MaxTokens { get; init; }
        public PriceItem? PricePerMillion { get; init; }
    }

    private sealed record ModelItem : IYamlShorthand
    {
        public string? Name { get; init; }
        public string? Model { get; init; }
        public int? Concurrency { get; init; }
        public object FromScalar(string value) => new ModelItem { Model = value };
    }

    private sealed record EnvironmentItem
    {
        public string? Env { get; init; }
        public string? Split { get; init; }
        public int? Tasks { get; init; }
        public int? SampleSeed { get; init; }
    }

    private sealed record DesignItem : IYamlShorthand
    {
        public string? Kind { get; init; }
        public int? Budget { get; init; }
        public int? Seed { get; init; }
        [YamlIgnore] public bool IsShorthand { get; init; }
        public object FromScalar(string value) => new DesignItem { Kind = value, IsShorthand = true };
    }

    private sealed record PriceItem
    {
        public double? Prompt { get; init; }
        public double? Completion { get; init; }
    }

    private sealed record PromptItem
    {
        public string? Name { get; init; }
        public string? Text { get; init; }
        public string? File { get; init; }
    }

    /// <summary>A system prompt is a built-in name, <c>{name, text}</c> or <c>{name, file}</c> (relative to the sweep file).</summary>
    private sealed class PromptDeserializer(string? baseDirectory) : INodeDeserializer
    {
        public bool Deserialize(IParser parser, Type expectedType, Func<IParser, Type, object?> nestedObjectDeserializer, out object? value, ObjectDeserializer rootDeserializer)
        {
            value = null;
            if (expectedType != typeof(SystemPrompt)) return false;
            var e = parser.Current!;
            var expected = SweepFactors.SystemPrompt.Expected;
            if (e is Scalar s)
            {
                parser.MoveNext();
                value = SystemPrompts.All.FirstOrDefault(p => p.Name == s.Value) ?? throw new YamlProblem(s.Start, s.End, expected, YamlShapeCheck.Describe(s));
                return true;
            }
            if (e is not MappingStart) throw new YamlProblem(e.Start, e.End, expected, YamlShapeCheck.Describe(e));
            var item = (PromptItem)nestedObjectDeserializer(parser, typeof(PromptItem))!;
            if (item.Name is null) throw new YamlProblem(e.Start, e.End, "a 'name' entry", "none");
            value = (item.Text, item.File) switch
            {
                ({ } text, null) => new SystemPrompt(item.Name, text),
                (null, { } file) => new SystemPrompt(item.Name, ReadPrompt(file, e)),
                (null, null) => throw new YamlProblem(e.Start, e.End, "'text' or 'file'", "neither"),
                _ => throw new YamlProblem(e.Start, e.End, "'text' or 'file'", "both"),
            };
            return true;
        }

        private string ReadPrompt(string file, ParsingEvent at)
        {
            var path = baseDirectory is null ? file : Path.Combine(baseDirectory, file);
            return System.IO.File.Exists(path)
                ? System.IO.File.ReadAllText(path).TrimEnd()
                : throw new YamlProblem(at.Start, at.End, "an existing text file in 'file'", $"'{path}' (missing)");
        }
    }
}
