using System.Text.RegularExpressions;
using ToolSharp.Core.Formats;
using ToolSharp.Core.History;
using ToolSharp.Environments.Catalog;
using ToolSharp.Environments.Episodes;
using ToolSharp.Evaluation.Agent;
using ToolSharp.Evaluation.Reports;
using ToolSharp.Evaluation.Store;
using ToolSharp.Evaluation.Sweeps;
using ToolSharp.Inference.Policies;
using ToolSharp.Inference.Rendering;
using ToolSharp.Models;
using ToolSharp.Models.Configuration;
using ToolSharp.Testing;
using ToolSharp.Text.Builtin;

namespace ToolSharp.Inference.Tests.Policies;

[Collection("EngineThreads")]
public class BuiltinModelBackendTests
{
    private static readonly IEnvironment Arith = EnvironmentCatalog.Create("arith:levels=1");

    private static BuiltinModelBackend Untrained(ulong seed = 3) =>
        new(Transformer.Create(ModelPresets.Tiny(BuiltinTokenizer.Size), seed), BuiltinRolloutRenderer.Instance, $"tiny-{seed}");

    private static BuiltinModelBackend Scripted(Func<string, string> script) =>
        new(_ => new ScriptedSession(script), 2048, BuiltinRolloutRenderer.Instance, "scripted");

    private static async Task<List<EpisodeRecord>> Run(IEpisodeBackend backend, AgentSettings settings, params EpisodeJob[] jobs)
    {
        var records = new List<EpisodeRecord>();
        await backend.RunAsync(Arith, jobs, settings, (_, r) => { records.Add(r); return Task.CompletedTask; });
        return records;
    }

    [Fact]
    public async Task Sampled_episodes_count_tokens_exactly_and_repeat_for_the_same_seed()
    {
        var backend = Untrained();
        var settings = new AgentSettings { Instructions = "", Sampling = new SamplingParameters(1.0, 1.0, null, 12), Limits = new EpisodeLimits(2, 4) };
        var task = Arith.GetTask("test", 0);
        var a = await Run(backend, settings, new EpisodeJob(task, 7), new EpisodeJob(task, 8));
        var again = await Run(backend, settings, new EpisodeJob(task, 7));

        a[0].TokensEstimated.ShouldBeFalse();
        a[0].Steps[0].PromptTokens.ShouldBe(BuiltinChatFormat.Instance.Prompt(EpisodeDriver.Start(Arith, task, instructions: "").Transcript).Length);
        a[0].Steps[0].CompletionTokens.ShouldBeInRange(1, 12);
        a[0].CompletionTokens.ShouldBe(a[0].Steps.Sum(s => s.CompletionTokens));
        again[0].TranscriptJson.ShouldBe(a[0].TranscriptJson, "same seed, same sampled tokens");
        a[1].TranscriptJson.ShouldNotBe(a[0].TranscriptJson, "another seed samples other tokens");
        a[0].Correct.ShouldBeFalse(); // an untrained model writes noise: scored, not thrown
    }

    [Fact]
    public async Task Prompt_mode_describes_the_tools_in_the_format_and_parses_the_reply_with_it()
    {
        var prompts = new List<string>();
        var task = Arith.GetTask("test", 1);
        var backend = Scripted(text =>
        {
            prompts.Add(text);
            return text.Contains("<tool_response>") || text.Contains("<|user|><tool_response>")
                ? "Answer: " + task.ExpectedAnswer
                : $$$"""{"name": "calculator", "arguments": {"expression": "{{{task.ExpectedAnswer}}}"}}""";
        });
        var record = (await Run(backend, new AgentSettings { Instructions = "", Format = ToolCallFormats.Json }, new EpisodeJob(task, 0))).Single();

        prompts[0].ShouldContain("To call functions, reply with only a JSON object", customMessage: "the json format's tool description is in the system turn");
        prompts[0].ShouldNotContain("tools: calculator(", customMessage: "prompt mode uses no native tool rendering");
        record.Steps[0].Calls.Single().Name.ShouldBe("calculator");
        record.Steps[0].Calls.Single().Result.ShouldBe(task.ExpectedAnswer);
        prompts[1].ShouldContain("<|user|><tool_response>\n" + task.ExpectedAnswer, customMessage: "tool results come back as a user turn in prompt mode");
        record.Correct.ShouldBeTrue(record.Details);
        record.Ending.ShouldBe("answer");
    }

    [Fact]
    public async Task A_packed_view_is_rendered_each_turn_while_the_transcript_stays_native()
    {
        var prompts = new List<string>();
        var task = Arith.GetTask("test", 2);
        var backend = Scripted(text =>
        {
            prompts.Add(text);
            return prompts.Count == 1 ? $$$"""<tool_call>{"name": "calculator", "arguments": {"expression": "{{{task.ExpectedAnswer}}}"}}</tool_call>""" : "Answer: " + task.ExpectedAnswer;
        });
        var view = new ConversationView(HistoryPolicies.Parse("keep"), MultiTurnConstruction.Packed, ToolCallFormats.Hermes);
        var record = (await Run(backend, new AgentSettings { Instructions = "", View = view }, new EpisodeJob(task, 0))).Single();

        prompts[1].ShouldContain(PackedTranscript.Preamble);
        Regex.Matches(prompts[1], Regex.Escape(BuiltinTokenizer.UserRole)).Count.ShouldBe(1, "the packed construction sends one user message");
        record.Steps[1].PrefixReused.ShouldBeFalse("a packed prompt does not extend the previous one");
        record.TranscriptJson.ShouldContain("\"role\":\"tool\"");
        record.Correct.ShouldBeTrue(record.Details);
    }

    [Fact]
    public async Task A_sweep_runs_against_builtin_models_and_resumes()
    {
        using var dir = new TempDirectory();
        // A sweep file's builtin: models must be checkpoint directories; the backends themselves are given directly.
        foreach (var name in new[] { "a", "b" })
        {
            Directory.CreateDirectory(Path.Combine(dir.Path, name));
            File.WriteAllText(Path.Combine(dir.Path, name, "config.json"), $"{{\"stands_for\": \"{name}\"}}");
        }
        var definition = SweepFile.Parse($$"""
            models: ["builtin:{{dir.Path}}/a", "builtin:{{dir.Path}}/b"]
            environments: [{env: "arith:levels=1", tasks: 2}]
            factors: {seeds: [1, 2], system_prompts: [default, minimal], templates: [native, packed], history: [keep, drop-reasoning], temperatures: [1.0]}
            max_turns: 2
            max_tokens: 6
            """);
        var plan = SweepPlan.Create(definition);
        var models = new Dictionary<string, IModelBackend> { ["a"] = Untrained(3), ["b"] = Untrained(4) };
        using var store = ResultsStore.Open(dir.File("r.db"));
        var done = await new SweepRunner(plan, store, m => models[m.Label]).RunAsync();
        done.Finished.ShouldBe(plan.EpisodeCount);
        store.EpisodeCount().ShouldBe(plan.EpisodeCount);
        (await new SweepRunner(plan, store, m => models[m.Label]).RunAsync()).Finished.ShouldBe(0);
        var summary = SweepSummary.Build("builtin", store.Episodes(), new SummaryOptions { Resamples = 50 });
        summary.Configurations.Count.ShouldBe(16);
        store.Episodes().ShouldAllBe(e => e.CompletionTokens > 0 && e.CompletionTokens <= 6L * e.Turns);
    }
}
