using Microsoft.Extensions.AI;
using ToolSharp.Core.Formats;
using ToolSharp.Environments.Episodes;
using ToolSharp.Evaluation.Agent;
using ToolSharp.Evaluation.Policies;
using ToolSharp.Evaluation.Reports;
using ToolSharp.Evaluation.Store;
using ToolSharp.Evaluation.Sweeps;
using ToolSharp.Models;
using ToolSharp.Models.Configuration;
using ToolSharp.Testing;
using ToolSharp.Text.Builtin;

namespace ToolSharp.Evaluation.Tests.Policies;

public class BuiltinAndChatClientPolicyTests
{
    private static readonly IEnvironment Arith = EnvironmentCatalog.Create("arith:levels=1");

    private static BuiltinModelPolicy Untrained() =>
        new(Transformer.Create(ModelPresets.Tiny(BuiltinTokenizer.Size), seed: 3), "tiny-untrained");

    [Fact]
    public async Task Builtin_model_episode_counts_tokens_exactly_and_is_reproducible()
    {
        var policy = Untrained();
        var settings = new AgentSettings { Sampling = new SamplingParameters(1.0, 1.0, 7, 12), MaxTurns = 2 };
        var a = await AgentLoop.RunAsync(Arith, Arith.GetTask("test", 0), policy, settings);
        var b = await AgentLoop.RunAsync(Arith, Arith.GetTask("test", 0), policy, settings);

        a.TokensEstimated.ShouldBeFalse();
        a.Steps[0].PromptTokens.ShouldBe(BuiltinChatFormat.Instance.Prompt(Arith.CreateEpisode(Arith.GetTask("test", 0)).Start()).Length);
        a.Steps[0].CompletionTokens.ShouldBeInRange(1, 12);
        a.TranscriptJson.ShouldBe(b.TranscriptJson);
        a.Correct.ShouldBeFalse(); // an untrained model writes noise: scored, not thrown
    }

    [Fact]
    public async Task Builtin_model_in_prompt_mode_parses_with_the_requested_format()
    {
        var turn = await Untrained().NextAsync(new PolicyRequest(Arith.CreateEpisode(Arith.GetTask("test", 1)).Start(), new SamplingParameters(1, 1, 1, 8), ToolCallFormats.Json));
        turn.RawText.ShouldNotBeNull();
        turn.PromptTokens.ShouldNotBeNull();
    }

    [Fact]
    public async Task A_sweep_runs_against_the_builtin_model_and_resumes()
    {
        using var dir = new TempDirectory();
        // The sweep file names checkpoint directories, which must exist; the policies are given directly.
        Transformer.Create(ModelPresets.Tiny(BuiltinTokenizer.Size), seed: 3).Save(Path.Combine(dir.Path, "a"));
        Transformer.Create(ModelPresets.Tiny(BuiltinTokenizer.Size), seed: 4).Save(Path.Combine(dir.Path, "b"));
        var definition = SweepFile.Parse($$"""
            models: ["builtin:{{dir.Path}}/a", "builtin:{{dir.Path}}/b"]
            environments: [{env: "arith:levels=1", tasks: 1}]
            factors: {seeds: [1, 2], system_prompts: [default, minimal], templates: [native, packed], history: [keep, drop-reasoning], temperatures: [1.0]}
            max_turns: 2
            max_tokens: 6
            """);
        var plan = SweepPlan.Create(definition);
        var models = new Dictionary<string, IPolicy> { ["a"] = Untrained(), ["b"] = new BuiltinModelPolicy(Transformer.Create(ModelPresets.Tiny(BuiltinTokenizer.Size), seed: 4), "b") };
        using var store = ResultsStore.Open(dir.File("r.db"));
        var done = await new SweepRunner(plan, store, m => models[m.Label]).RunAsync();
        done.Finished.ShouldBe(plan.EpisodeCount);
        (await new SweepRunner(plan, store, m => models[m.Label]).RunAsync()).Finished.ShouldBe(0);
        var summary = SweepSummary.Build("builtin", store.Episodes(), new SummaryOptions { Resamples = 50 });
        summary.Configurations.Count.ShouldBe(16);
        summary.ToJson().ShouldContain("\"variance_share\"");
    }

    private sealed class FakeChatClient(Func<IList<ChatMessage>, ChatOptions?, ChatResponse> reply) : IChatClient
    {
        public List<ChatOptions?> Options { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Options.Add(options);
            return Task.FromResult(reply(messages.ToList(), options));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() { }
    }

    [Fact]
    public async Task Chat_client_policy_solves_an_arith_episode_with_native_calls()
    {
        var task = Arith.GetTask("test", 2);
        var client = new FakeChatClient((messages, _) => messages[^1].Role == ChatRole.Tool
            ? new ChatResponse(new ChatMessage(ChatRole.Assistant, "Answer: " + ((FunctionResultContent)messages[^1].Contents[0]).Result)) { Usage = new UsageDetails { InputTokenCount = 50, OutputTokenCount = 5 } }
            : new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "calculator", new Dictionary<string, object?> { ["expression"] = task.ExpectedAnswer })])));

        var record = await AgentLoop.RunAsync(Arith, task, new ChatClientPolicy(client, "fake"), new AgentSettings { Sampling = new SamplingParameters(0.5, 0.9, 11) });

        record.Correct.ShouldBeTrue(record.Details);
        record.ToolCalls.ShouldBe(1);
        record.Steps[1].PromptTokens.ShouldBe(50);
        client.Options[0]!.Tools!.Single().Name.ShouldBe("calculator");
        client.Options[0]!.Seed.ShouldBe(11);
        client.Options[0]!.Temperature.ShouldBe(0.5f);
    }

    [Fact]
    public async Task Chat_client_failure_is_a_policy_exception()
    {
        var client = new FakeChatClient((_, _) => throw new HttpRequestException("connection refused"));
        var ex = await Should.ThrowAsync<PolicyException>(() => new ChatClientPolicy(client, "fake").NextAsync(new PolicyRequest(Arith.CreateEpisode(Arith.GetTask("test", 0)).Start(), SamplingParameters.Default)));
        ex.Message.ShouldContain("connection refused");
    }
}
