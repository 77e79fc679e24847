using ToolSharp.Core.Errors;
using ToolSharp.Evaluation.Sweeps;

namespace ToolSharp.Evaluation.Tests.Sweeps;

public class SweepFileTests
{
    private const string Yaml = """
        name: demo
        models:
          - {name: a, model: "openai:http://127.0.0.1:1/v1,http://127.0.0.1:2/v1#model-a", concurrency: 4}
          - "openai:http://127.0.0.1:1/v1#model-b"
        environments:
          - {env: "arith:levels=1", split: test, tasks: 5}
          - {env: arith, split: test, tasks: 3, sample_seed: 2}
        factors:
          seeds: [1, 2, 3]
          system_prompts: [default, minimal, {name: terse, text: "Be terse."}]
          templates: [native, packed]
          history: [keep, "window:2"]
          formats: [native, hermes]
          temperatures: [0, 0.7]
        design: {kind: ofat}
        trials: 2
        max_turns: 6
        price_per_million: {prompt: 0.1, completion: 0.4}
        """;

    [Fact]
    public void Reads_every_section()
    {
        var d = SweepFile.Parse(Yaml, "demo.yaml");
        d.Name.ShouldBe("demo");
        d.Models.Select(m => m.Label).ShouldBe(["a", "model-b"]);
        d.Models[0].Concurrency.ShouldBe(4);
        d.Environments[1].SampleSeed.ShouldBe(2);
        d.Factors.Seeds.ShouldBe([1, 2, 3]);
        d.Factors.SystemPrompts.Select(p => p.Name).ShouldBe(["default", "minimal", "terse"]);
        d.Factors.SystemPrompts[2].Text.ShouldBe("Be terse.");
        d.Factors.History.ShouldBe(["keep", "window:2"]);
        d.Design.Kind.ShouldBe(DesignKind.OneFactorAtATime);
        d.Trials.ShouldBe(2);
        d.MaxTurns.ShouldBe(6);
        d.PricePerMillion.ShouldBe((0.1, 0.4));
    }

    [Fact]
    public void Json_works_too()
    {
        var d = SweepFile.Parse("""{"models": ["openai:http://x/v1#m"], "environments": [{"env": "arith", "tasks": 2}], "factors": {"seeds": [7]}}""");
        d.Models.Single().Label.ShouldBe("m");
        d.Environments.Single().Split.ShouldBe("test");
        d.Factors.Seeds.ShouldBe([7]);
    }

    private const string M = "models: [\"openai:http://x/v1#m\"]\n";
    private const string E = "environments: [{env: arith}]\n";

    /// <summary>Every class of malformed sweep file and the one line it gives: file:line:column: field: expected …, found ….</summary>
    public static TheoryData<string, string> Malformed => new()
    {
        // Not YAML, or not one mapping.
        { "", "s.yaml:1:1: expected a sweep mapping, found an empty file" },
        { "# only a comment\n", "s.yaml:1:1: expected a sweep mapping, found an empty file" },
        { "[1, 2]\n", "s.yaml:1:1: (top level): expected a mapping, found a list" },
        { M + E + "\tname: x\n", "s.yaml:3:1: expected spaces for indentation, found a tab" },
        { "models: [\n", "s.yaml:2:1: expected valid YAML or JSON, found a syntax error (while parsing a node, did not find expected node content)" },
        { "models: [1, 2\nname: 3\n", "s.yaml:1:9: models: expected ']' closing this list, found the end of the file" },
        { "models: 'unterminated\n", "s.yaml:1:9: expected valid YAML or JSON, found a syntax error (while scanning a quoted scalar, found unexpected end of stream)" },
        { M + E + "name: a\nname: b\n", "s.yaml:4:1: name: expected each key once, found 'name' again" },
        { M + E + "x: *nope\n", "s.yaml:3:4: x: expected an alias to an anchor defined before it, found '*nope'" },
        { "---\n" + M + E + "---\nname: b\n", "s.yaml:4:1: (top level): expected one document, found a second document" },
        // Unknown keys name the keys that exist.
        { M + E + "factorz: {}\n", "s.yaml:3:1: factorz: expected one of name, models, environments, factors, design, trials, max_turns, max_tool_calls, max_tokens, price_per_million, found unknown key 'factorz'" },
        { M + E + "factors: {seed: [1]}\n", "s.yaml:3:11: factors.seed: expected one of seeds, system_prompts, templates, history, formats, temperatures, top_p, found unknown key 'seed'" },
        { M + "environments: [{env: arith, taks: 3}]\n", "s.yaml:2:29: environments[0].taks: expected one of env, split, tasks, sample_seed, found unknown key 'taks'" },
        // Wrong shapes and types.
        { "models: \"openai:http://x/v1#m\"\n" + E, "s.yaml:1:9: models: expected a list, found 'openai:http://x/v1#m'" },
        { M + "environments: [arith]\n", "s.yaml:2:16: environments[0]: expected a mapping, found 'arith'" },
        { "models: [{model: \"openai:http://x/v1#m\", concurrency: [1]}]\n" + E, "s.yaml:1:55: models[0].concurrency: expected a whole number, found a list" },
        { M + "environments: [{env: arith, tasks: 2.5}]\n", "s.yaml:2:36: environments[0].tasks: expected a whole number, found '2.5'" },
        { M + "environments: [{env: arith, tasks: 99999999999}]\n", "s.yaml:2:36: environments[0].tasks: expected a whole number, found '99999999999'" },
        { M + E + "factors: {seeds: [1, x]}\n", "s.yaml:3:22: factors.seeds[1]: expected a whole number, found 'x'" },
        { M + E + "factors: {seeds: ~}\n", "s.yaml:3:18: factors.seeds: expected a list, found nothing" },
        { M + E + "factors: {temperatures: [hot]}\n", "s.yaml:3:26: factors.temperatures[0]: expected a number, found 'hot'" },
        { M + E + "design: [full]\n", "s.yaml:3:9: design: expected a mapping or a string, found a list" },
        { M + E + "name: [x]\n", "s.yaml:3:7: name: expected a string, found a list" },
        { "{\"models\": [\"openai:http://x/v1#m\"], \"environments\": [{\"env\": \"arith\"}], \"factors\": {\"seeds\": [1, \"x\"]}}", "s.yaml:1:99: factors.seeds[1]: expected a whole number, found 'x'" },
        // Missing, empty or repeated entries.
        { E, "s.yaml:1:1: models: expected a 'models' entry, found none" },
        { M, "s.yaml:1:1: environments: expected an 'environments' entry, found none" },
        { "models: []\n" + E, "s.yaml:1:9: models: expected at least one model, found an empty list" },
        { "models: [{name: a}]\n" + E, "s.yaml:1:10: models[0].model: expected a 'model' entry, found none" },
        { M + "environments: [{split: test}]\n", "s.yaml:2:16: environments[0].env: expected an 'env' entry, found none" },
        { "models: [\"openai:http://x/v1#m\", \"openai:http://y/v1#m\"]\n" + E, "s.yaml:1:34: models[1]: expected unique model names, found 'm' again (also models[0]; give one a name)" },
        { M + "environments: [{env: arith, tasks: 2}, {env: arith, tasks: 2}]\n", "s.yaml:2:40: environments[1]: expected each environment entry once, found the same env, split and tasks as environments[0]" },
        { M + E + "factors: {seeds: []}\n", "s.yaml:3:18: factors.seeds: expected at least one seed, found an empty list" },
        { M + E + "factors: {seeds: [2, 2]}\n", "s.yaml:3:22: factors.seeds[1]: expected each seed once, found '2' again" },
        { M + E + "factors: {templates: [native, native]}\n", "s.yaml:3:31: factors.templates[1]: expected each level once, found 'native' again (also at [0])" },
        { M + E + "factors: {system_prompts: [default, default]}\n", "s.yaml:3:37: factors.system_prompts[1]: expected each level once, found 'default' again (also at [0])" },
        { M + E + "price_per_million: {prompt: 1}\n", "s.yaml:3:20: price_per_million.completion: expected a 'completion' entry, found none" },
        // Out of range.
        { "models: [{model: \"openai:http://x/v1#m\", concurrency: 0}]\n" + E, "s.yaml:1:55: models[0].concurrency: expected at least 1, found 0" },
        { M + "environments: [{env: arith, tasks: 0}]\n", "s.yaml:2:36: environments[0].tasks: expected at least 1, found 0" },
        { M + "environments: [{env: arith, sample_seed: -1}]\n", "s.yaml:2:42: environments[0].sample_seed: expected at least 0, found -1" },
        { M + E + "factors: {temperatures: [-1]}\n", "s.yaml:3:26: factors.temperatures[0]: expected a temperature ≥ 0, found '-1'" },
        { M + E + "factors: {top_p: [0]}\n", "s.yaml:3:19: factors.top_p[0]: expected a nucleus mass in (0, 1], found '0'" },
        { M + E + "design: {kind: random, budget: 0}\n", "s.yaml:3:32: design.budget: expected at least 1, found 0" },
        { M + E + "design: {kind: full, seed: -1}\n", "s.yaml:3:28: design.seed: expected at least 0, found -1" },
        { M + E + "trials: 0\n", "s.yaml:3:9: trials: expected at least 1, found 0" },
        { M + E + "max_turns: 0\n", "s.yaml:3:12: max_turns: expected at least 1, found 0" },
        { M + E + "max_tool_calls: -1\n", "s.yaml:3:17: max_tool_calls: expected at least 0, found -1" },
        { M + E + "max_tokens: 0\n", "s.yaml:3:13: max_tokens: expected at least 1, found 0" },
        { M + E + "price_per_million: {prompt: 1, completion: -1}\n", "s.yaml:3:44: price_per_million.completion: expected a price of at least 0, found -1" },
        // Names that do not exist list the ones that do.
        { M + "environments: [{env: nosuch}]\n", "s.yaml:2:22: environments[0].env: expected an environment (arith, arith-memory, arith-chat, gsm8k, countries, sql, bfcl), found 'nosuch'" },
        { M + E + "factors: {system_prompts: [deflt]}\n", "s.yaml:3:28: factors.system_prompts[0]: expected a built-in prompt (default, bfcl, minimal, none, multi-turn) or {name, text} / {name, file}, found 'deflt'" },
        { M + E + "factors: {templates: [native, nested]}\n", "s.yaml:3:31: factors.templates[1]: expected native or packed, found 'nested'" },
        { M + E + "factors:\n  history: [keep, \"windw:4\"]\n", "s.yaml:4:19: factors.history[1]: expected keep | drop-reasoning | window:K | truncate:N, combined with '+', found 'windw:4'" },
        { M + E + "factors:\n  formats: [hermes, yaml]\n", "s.yaml:4:21: factors.formats[1]: expected native or a format: hermes, qwen3-coder, llama3, mistral, pythonic, json, found 'yaml'" },
        { M + E + "design: fractionl\n", "s.yaml:3:9: design: expected full, ofat, random or fractional, found 'fractionl'" },
        { M + E + "design: {budget: 3}\n", "s.yaml:3:9: design.kind: expected a 'kind' entry (full, ofat, random or fractional), found none" },
        { M + E + "factors: {system_prompts: [default, minimal, none], templates: [native, packed]}\ndesign: {kind: fractional, budget: 3}\n", "s.yaml:4:36: design.budget: expected at least 4 settings, 1 + Σ(levels − 1), so every main effect is estimable, found 3" },
        { M + E + "design: {kind: random}\n", "s.yaml:3:9: design.budget: expected a budget for the random design, found none" },
        { "models: [{name: a, model: gpt}]\n" + E, "s.yaml:1:27: models[0].model: expected openai:BASE_URL[,BASE_URL…]#MODEL or builtin:CHECKPOINT_DIR[#OPTIONS], found 'gpt'" },
        { "models: [\"openai:not a url#m\"]\n" + E, "s.yaml:1:10: models[0].model: expected openai:BASE_URL[,BASE_URL…]#MODEL or builtin:CHECKPOINT_DIR[#OPTIONS], found 'openai:not a url#m' ('not a url' is not an http(s) URL)" },
        { "models: [\"builtin:/nonexistent/ckpt\"]\n" + E, "s.yaml:1:10: models[0].model: expected a checkpoint directory with config.json, found 'builtin:/nonexistent/ckpt' (missing; no checkpoints in /nonexistent)" },
        // System prompts: a name, {name, text} or {name, file}.
        { M + E + "factors: {system_prompts: [{text: hi}]}\n", "s.yaml:3:28: factors.system_prompts[0]: expected a 'name' entry, found none" },
        { M + E + "factors: {system_prompts: [{name: a}]}\n", "s.yaml:3:28: factors.system_prompts[0]: expected 'text' or 'file', found neither" },
        { M + E + "factors: {system_prompts: [{name: a, text: x, file: y}]}\n", "s.yaml:3:28: factors.system_prompts[0]: expected 'text' or 'file', found both" },
        { M + E + "factors: {system_prompts: [{name: a, txt: hi}]}\n", "s.yaml:3:38: factors.system_prompts[0].txt: expected one of name, text, file, found unknown key 'txt'" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Each_malformed_file_gives_one_line_with_file_line_column_field_expected_and_found(string yaml, string message)
    {
        var ex = Should.Throw<InputFormatException>(() => SweepFile.Parse(yaml, "s.yaml"));
        ex.Message.ShouldBe(message);
        ex.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void A_missing_prompt_file_is_named_with_its_full_path()
    {
        using var dir = new ToolSharp.Testing.TempDirectory();
        var ex = Should.Throw<InputFormatException>(() => SweepFile.Parse(M + E + "factors: {system_prompts: [{name: a, file: nofile.txt}]}\n", "s.yaml", dir.Path));
        ex.Message.ShouldBe($"s.yaml:3:28: factors.system_prompts[0]: expected an existing text file in 'file', found '{Path.Combine(dir.Path, "nofile.txt")}' (missing)");
    }

    [Fact]
    public void A_missing_checkpoint_lists_the_checkpoints_next_to_it()
    {
        using var dir = new ToolSharp.Testing.TempDirectory();
        foreach (var name in new[] { "grpo-seed1", "sft" })
        {
            Directory.CreateDirectory(Path.Combine(dir.Path, name));
            File.WriteAllText(Path.Combine(dir.Path, name, "config.json"), "{}");
        }
        Directory.CreateDirectory(Path.Combine(dir.Path, "logs"));
        var ex = Should.Throw<InputFormatException>(() => SweepFile.Parse($"models: [\"builtin:{dir.Path}/grpo-seed2\"]\n" + E, "s.yaml"));
        ex.Message.ShouldBe($"s.yaml:1:10: models[0].model: expected a checkpoint directory with config.json, found 'builtin:{dir.Path}/grpo-seed2' (missing; checkpoints in {dir.Path}: grpo-seed1, sft)");
    }

    [Theory]
    [InlineData("environments: [{env: \"arith:levels=1,bogus=2\"}]", "s.yaml:2:16: environments[0]: environment 'arith': unknown option bogus (known: digits, levels, seed, test)")]
    [InlineData("environments: [{env: arith, split: dev}]", "s.yaml:2:16: environments[0]: arith: unknown split 'dev' (splits: train, test)")]
    public void Errors_found_when_an_environment_is_created_point_at_its_entry(string environments, string message)
    {
        var definition = SweepFile.Parse(M + environments + "\n", "s.yaml");
        Should.Throw<ToolSharpException>(() => SweepPlan.Create(definition)).Message.ShouldBe(message);
    }

    [Fact]
    public void Unset_limits_are_left_to_the_environment_and_the_backend()
    {
        var unset = SweepFile.Parse(M + E + "max_tokens: null\n");
        (unset.MaxTurns, unset.MaxToolCalls, unset.MaxTokens).ShouldBe((null, null, null));
        var set = SweepFile.Parse(M + E + "max_turns: 3\nmax_tool_calls: 0\nmax_tokens: 64\n");
        (set.MaxTurns, set.MaxToolCalls, set.MaxTokens).ShouldBe((3, 0, 64));
    }

    [Fact]
    public void Two_models_that_are_the_same_model_are_refused_when_planning()
    {
        var d = SweepFile.Parse("models: [{name: a, model: \"openai:http://x/v1#m\"}, {name: b, model: \"openai:http://y/v1#m\"}]\n" + E);
        Should.Throw<ToolSharpException>(() => SweepPlan.Create(d)).Message
            .ShouldBe("models 'a' and 'b' are the same model (openai#m): their configurations would share hashes; list it once");
    }

    [Fact]
    public void Every_factor_is_read_from_the_key_its_declaration_names()
    {
        var other = new Dictionary<string, string>
        {
            ["system_prompt"] = "minimal", ["template"] = "packed", ["history"] = "drop-reasoning", ["format"] = "hermes", ["temperature"] = "0.7", ["top_p"] = "0.9",
        };
        other.Keys.ShouldBe(SweepFactors.Names, ignoreOrder: true);
        foreach (var f in SweepFactors.All)
        {
            var d = SweepFile.Parse(M + E + $"factors: {{{f.FileKey}: [\"{other[f.Name]}\"]}}\n");
            f.LevelNames(d.Factors).ShouldBe([other[f.Name]]);
            SweepFactors.All.Where(g => g != f).ShouldAllBe(g => g.LevelNames(d.Factors).SequenceEqual(g.LevelNames(new FactorLevels())));
        }
    }
}
