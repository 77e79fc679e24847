using Microsoft.Extensions.AI;
using ToolSharp.Environments.Catalog;
using ToolSharp.Environments.Episodes;
using ToolSharp.Evaluation.Agent;
using ToolSharp.Evaluation.Policies;

namespace ToolSharp.Evaluation.Tests.Policies;

public class ChatClientPolicyTests
{
    private static readonly IEnvironment Arith = EnvironmentCatalog.Create("arith:levels=1");

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
