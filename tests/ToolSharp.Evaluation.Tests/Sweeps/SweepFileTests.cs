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

    [Theory]
    [InlineData("models: [\"openai:http://x/v1#m\"]\nenvironments: [{env: arith}]\nfactors: {seeds: [1, x]}", "s.yaml:3: factors.seeds[1]: expected a whole number, found 'x'")]
    [InlineData("models: [\"openai:http://x/v1#m\"]\nenvironments: [{env: arith}]\nfactors:\n  formats: [hermes, yaml]", "s.yaml:4: factors.formats[1]: expected native or a format")]
    [InlineData("models: [\"openai:http://x/v1#m\"]\nenvironments: [{env: arith}]\ndesign: {kind: random}", "s.yaml:3: design.budget: expected a budget for the random design, found none")]
    [InlineData("models: [\"openai:http://x/v1#m\"]\nenvironments: [{env: arith}]\nfactorz: {}", "s.yaml:3: factorz: expected one of")]
    [InlineData("environments: [{env: arith}]", "s.yaml:1: models: expected a 'models' entry, found none")]
    [InlineData("models: [{name: a, model: \"gpt\"}]\nenvironments: [{env: arith}]", "s.yaml:1: models[0].model: expected openai:URL#MODEL or builtin:PATH, found 'gpt'")]
    [InlineData("models: [\n  {model: x", "s.yaml:")]
    public void Errors_name_file_line_field_expected_and_found(string yaml, string message)
    {
        var ex = Should.Throw<InputFormatException>(() => SweepFile.Parse(yaml, "s.yaml"));
        ex.Message.ShouldStartWith(message);
    }
}
