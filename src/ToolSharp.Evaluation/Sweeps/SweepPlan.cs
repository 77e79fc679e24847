using System.Text.Json;
using ToolSharp.Core.Errors;
using ToolSharp.Core.Hashing;
using ToolSharp.Core.Json;
using ToolSharp.Environments.Catalog;
using ToolSharp.Environments.Episodes;
using ToolSharp.Evaluation.Policies;

namespace ToolSharp.Evaluation.Sweeps;

/// <summary>A sweep made concrete: environments created, tasks selected, configurations hashed, episodes enumerated.</summary>
/// <remarks>
/// A configuration hash covers everything that can change an episode's outcome apart from the seed and trial (which
/// are part of the episode key): the model (kind and name, or the checkpoint's content hash), the environment name,
/// version, split and dataset hash, the system prompt text, template, history policy, format, temperature, top-p and
/// the turn, tool and token limits. Base URLs are not in it, so servers can be added or moved between resumes.
/// </remarks>
public sealed class SweepPlan
{
    private SweepPlan(SweepDefinition definition, IReadOnlyList<PlannedEnvironment> environments, IReadOnlyList<FactorSetting> settings,
        IReadOnlyList<SweepConfiguration> configurations, IReadOnlyDictionary<string, string> modelKeys)
    {
        Definition = definition;
        Environments = environments;
        Settings = settings;
        Configurations = configurations;
        ModelKeys = modelKeys;
    }

    public SweepDefinition Definition { get; }

    public IReadOnlyList<PlannedEnvironment> Environments { get; }

    public IReadOnlyList<FactorSetting> Settings { get; }

    public IReadOnlyList<SweepConfiguration> Configurations { get; }

    /// <summary>Model label → the identity that enters hashes.</summary>
    public IReadOnlyDictionary<string, string> ModelKeys { get; }

    public static SweepPlan Create(SweepDefinition definition)
    {
        definition.Factors.Validate();
        var twice = definition.Models.GroupBy(m => m.Label).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (twice is not null) throw new ToolSharpException($"model name '{twice}' is used by two models; names must be unique");
        var repeated = definition.Environments.GroupBy(e => e with { Origin = null }).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (repeated is not null) throw new ToolSharpException($"environment {repeated.Label} with {repeated.Tasks} tasks is listed twice");
        var environments = definition.Environments.Select(Plan).ToList();
        var settings = definition.Design.Expand(definition.Factors);
        var modelKeys = definition.Models.ToDictionary(m => m.Label, m => ModelSpec.Parse(m.Spec).HashKey);
        var same = definition.Models.GroupBy(m => modelKeys[m.Label]).FirstOrDefault(g => g.Count() > 1);
        if (same is not null)
            throw new ToolSharpException($"models {string.Join(" and ", same.Select(m => $"'{m.Label}'"))} are the same model ({same.Key}): their configurations would share hashes; list it once");
        var configurations = new List<SweepConfiguration>();
        foreach (var model in definition.Models)
        foreach (var env in environments)
        foreach (var setting in settings)
        {
            var instructions = setting.SystemPrompt.Resolve(env.Environment.DefaultInstructions);
            var hash = StableHash.Short(StableHash.Of(JsonValues.Build(w =>
            {
                w.WriteStartObject();
                w.WriteString("model", modelKeys[model.Label]);
                w.WriteString("environment", env.Environment.Name);
                w.WriteString("environment_version", env.Environment.Version);
                w.WriteString("split", env.Entry.Split);
                w.WriteString("dataset", env.DatasetHash);
                foreach (var factor in SweepFactors.All) factor.WriteHash(w, setting, instructions);
                // Unset limits hash as the historical defaults so configurations keep their hashes; limits an environment
                // sets itself are covered by its version.
                w.WriteNumber("max_turns", definition.MaxTurns ?? EpisodeLimits.Default.MaxTurns);
                w.WriteNumber("max_tool_calls", definition.MaxToolCalls ?? EpisodeLimits.Default.MaxToolCalls);
                w.WriteNumber("max_tokens", definition.MaxTokens ?? SweepDefinition.EndpointMaxTokens);
                w.WriteEndObject();
            })), 16);
            configurations.Add(new SweepConfiguration(model, env.Entry, setting, hash, instructions));
        }
        return new SweepPlan(definition, environments, settings, configurations, modelKeys);
    }

    private static PlannedEnvironment Plan(EnvironmentEntry entry)
    {
        IEnvironment environment;
        try
        {
            environment = EnvironmentCatalog.Create(entry.Spec);
            TaskSampling.RequireSplit(environment, entry.Split);
        }
        catch (ToolSharpException ex) when (entry.Origin is not null)
        {
            throw new ToolSharpException($"{entry.Origin}: {ex.Message}", ex);
        }
        var tasks = entry.SampleSeed is { } seed
            ? environment.SampleTasks(entry.Split, entry.Tasks, seed)
            : environment.Tasks(entry.Split).Take(entry.Tasks).ToList();
        var datasetHash = StableHash.Of(string.Join("\n", tasks.Select(t => t.Id + "\t" + string.Join("\u241E", t.UserTurns) + "\t" + t.ExpectedAnswer)));
        return new PlannedEnvironment(entry, environment, tasks, datasetHash);
    }

    /// <summary>Every episode of the sweep, seeds outermost, so an interrupted sweep holds complete seeds rather than complete models.</summary>
    public IEnumerable<WorkItem> WorkItems()
    {
        var envByEntry = Environments.ToDictionary(e => e.Entry);
        foreach (var seed in Definition.Factors.Seeds)
        for (var trial = 0; trial < Definition.Trials; trial++)
        foreach (var config in Configurations)
        {
            var env = envByEntry[config.Environment];
            foreach (var task in env.Tasks) yield return new WorkItem(config, env.Environment, task, seed, trial);
        }
    }

    public int EpisodeCount => Configurations.Sum(c => Environments.First(e => e.Entry == c.Environment).Tasks.Count) * Definition.Factors.Seeds.Count * Definition.Trials;

    /// <summary>The run manifest: what was run, with model identities, template, prompt and dataset hashes and environment versions.</summary>
    public JsonElement Manifest(IReadOnlyDictionary<string, Agent.PolicyIdentity>? identities = null) => JsonValues.Build(w =>
    {
        var d = Definition;
        w.WriteStartObject();
        w.WriteString("name", d.Name);
        w.WriteString("toolsharp_evaluation_version", "1");
        w.WriteString("design", SweepDesign.Name(d.Design.Kind));
        if (d.Design.Budget is { } b) w.WriteNumber("design_budget", b);
        w.WriteNumber("design_seed", d.Design.Seed);
        w.WriteNumber("trials", d.Trials);
        if (d.MaxTurns is { } turns) w.WriteNumber("max_turns", turns); else w.WriteString("max_turns", "environment");
        if (d.MaxToolCalls is { } calls) w.WriteNumber("max_tool_calls", calls); else w.WriteString("max_tool_calls", "environment");
        if (d.MaxTokens is { } mt) w.WriteNumber("max_tokens", mt); else w.WriteString("max_tokens", "backend");
        if (d.PricePerMillion is { } price)
        {
            w.WriteStartObject("price_per_million");
            w.WriteNumber("prompt", price.Prompt);
            w.WriteNumber("completion", price.Completion);
            w.WriteEndObject();
        }
        w.WriteStartArray("models");
        foreach (var m in d.Models)
        {
            w.WriteStartObject();
            w.WriteString("name", m.Label);
            w.WriteString("spec", m.Spec);
            w.WriteString("identity", ModelKeys[m.Label]);
            if (identities?.GetValueOrDefault(m.Label) is { } id)
            {
                w.WriteString("kind", id.Kind);
                w.WriteString("model", id.Model);
                if (id.Endpoint is not null) w.WriteString("endpoint", id.Endpoint);
                if (id.WeightsHash is not null) w.WriteString("weights_hash", id.WeightsHash);
                if (id.TemplateHash is not null) w.WriteString("template_hash", id.TemplateHash);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("environments");
        foreach (var e in Environments)
        {
            w.WriteStartObject();
            w.WriteString("spec", e.Entry.Spec);
            w.WriteString("name", e.Environment.Name);
            w.WriteString("version", e.Environment.Version);
            w.WriteString("split", e.Entry.Split);
            w.WriteNumber("tasks", e.Tasks.Count);
            if (e.Entry.SampleSeed is { } s) w.WriteNumber("sample_seed", s);
            w.WriteString("dataset_hash", e.DatasetHash);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("system_prompts");
        foreach (var p in d.Factors.SystemPrompts)
        {
            w.WriteStartObject(p.Name);
            foreach (var e in Environments) w.WriteString(e.Entry.Label, StableHash.Of(p.Resolve(e.Environment.DefaultInstructions)));
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteStartObject("factors");
        w.WriteStartArray("seeds");
        foreach (var s in d.Factors.Seeds) w.WriteNumberValue(s);
        w.WriteEndArray();
        foreach (var f in SweepFactors.All)
        {
            w.WriteStartArray(f.Name);
            foreach (var level in f.LevelNames(d.Factors)) w.WriteStringValue(level);
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteStartArray("configurations");
        foreach (var c in Configurations)
        {
            w.WriteStartObject();
            w.WriteString("hash", c.Hash);
            w.WriteString("model", c.Model.Label);
            w.WriteString("environment", c.Environment.Label);
            foreach (var f in SweepFactors.All) w.WriteString(f.Name, f.LevelName(c.Setting));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });
}
