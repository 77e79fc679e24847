using ToolSharp.Environments.Catalog;
using ToolSharp.Core.Formats;
using ToolSharp.Core.History;
using ToolSharp.Core.Messages;
using ToolSharp.Environments.Episodes;
using ToolSharp.Evaluation.Agent;
using ToolSharp.Evaluation.Tests.Fakes;

namespace ToolSharp.Evaluation.Tests.Agent;

public class AgentLoopTests
{
    private static readonly IEnvironment Arith = EnvironmentCatalog.Create("arith:levels=1");

    [Fact]
    public async Task Correct_calculator_episode_records_every_step()
    {
        var task = Arith.GetTask("test", 0);
        var policy = new ScriptedPolicy(r => ScriptedPolicy.ToolResults(r) == 0
            ? ScriptedPolicy.Text(r, $"<tool_call>\n{{\"name\": \"calculator\", \"arguments\": {{\"expression\": \"{task.ExpectedAnswer}\"}}}}\n</tool_call>")
            : ScriptedPolicy.Text(r, "Answer: " + r.Conversation.Messages[^1].Content));

        var record = await AgentLoop.RunAsync(Arith, task, policy, new AgentSettings());

        record.Correct.ShouldBeTrue(record.Details);
        record.Reward.ShouldBe(1.0);
        record.Ending.ShouldBe("answer");
        record.Turns.ShouldBe(2);
        record.ToolCalls.ShouldBe(1);
        record.FailedToolCalls.ShouldBe(0);
        record.Steps.Count.ShouldBe(2);
        record.Steps[0].Calls[0].Name.ShouldBe("calculator");
        record.Steps[0].Calls[0].Result.ShouldBe(task.ExpectedAnswer);
        record.Steps[1].PrefixReused.ShouldBeTrue();
        record.PromptTokens.ShouldBe(200);
        record.CompletionTokens.ShouldBe(20);
        record.UncachedPromptTokens.ShouldBe(100 + 0); // second prompt is no longer than first prompt + reply
        record.TranscriptJson.ShouldContain("tool_call_id");
    }

    [Fact]
    public async Task Malformed_call_is_recorded_and_shown_to_the_model_not_thrown()
    {
        var task = Arith.GetTask("test", 1);
        var policy = new ScriptedPolicy(r => ScriptedPolicy.ToolResults(r) == 0
            ? ScriptedPolicy.Text(r, "<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"1+\n")
            : ScriptedPolicy.Text(r, "Answer: 3"));

        var record = await AgentLoop.RunAsync(Arith, task, policy, new AgentSettings { Format = ToolCallFormats.Hermes });

        record.MalformedCalls.ShouldBe(1);
        record.FailedToolCalls.ShouldBe(1);
        record.Steps[0].Calls[0].Error.ShouldBe("unterminated_tag");
        policy.Requests[1].Conversation.Messages[^1].Content!.ShouldStartWith("Error:");
        record.Correct.ShouldBeFalse();
    }

    [Fact]
    public async Task Turn_limit_and_tool_budget_end_the_episode()
    {
        var task = Arith.GetTask("test", 2);
        var loop = new ScriptedPolicy(r => ScriptedPolicy.Text(r, "<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"1+1\"}}\n</tool_call>"));

        var byTurns = await AgentLoop.RunAsync(Arith, task, loop, new AgentSettings { Limits = new EpisodeLimits(MaxTurns: 3, MaxToolCalls: 10) });
        byTurns.Ending.ShouldBe("max_turns");
        byTurns.Turns.ShouldBe(3);

        var byBudget = await AgentLoop.RunAsync(Arith, task, loop, new AgentSettings { Limits = new EpisodeLimits(MaxTurns: 10, MaxToolCalls: 2) });
        byBudget.Ending.ShouldBe("tool_budget");
        byBudget.Turns.ShouldBe(3);
        byBudget.Steps[^1].Calls[0].Error.ShouldBe("budget_exceeded");
    }

    [Fact]
    public async Task History_policy_and_packing_change_what_the_model_sees_but_not_the_transcript()
    {
        var task = Arith.GetTask("test", 3);
        var policy = new ScriptedPolicy(r => r.Turn == 0
            ? ScriptedPolicy.Text(r, "<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"2*3\"}}\n</tool_call>")
            : ScriptedPolicy.Text(r, "Answer: 6"));
        var settings = new AgentSettings { View = new ConversationView(HistoryPolicies.Parse("keep"), MultiTurnConstruction.Packed, ToolCallFormats.Hermes) };

        var record = await AgentLoop.RunAsync(Arith, task, policy, settings);

        var second = policy.Requests[1].Conversation;
        second.Messages.Count(m => m.Role != ChatRole.System).ShouldBe(1);
        second.Messages[^1].Content!.ShouldStartWith(PackedTranscript.Preamble);
        record.Steps[1].PrefixReused.ShouldBeFalse();
        record.UncachedPromptTokens.ShouldBe(200);
        record.TranscriptJson.ShouldContain("\"role\":\"tool\"");
    }

    [Fact]
    public async Task Custom_instructions_replace_the_default_system_prompt()
    {
        var policy = new ScriptedPolicy(r => ScriptedPolicy.Text(r, "Answer: 1"));
        await AgentLoop.RunAsync(Arith, Arith.GetTask("test", 4), policy, new AgentSettings { Instructions = "Be brief." });
        policy.Requests[0].Conversation.Messages[0].Content.ShouldBe("Be brief.");
        await AgentLoop.RunAsync(Arith, Arith.GetTask("test", 4), policy, new AgentSettings { Instructions = "" });
        policy.Requests[1].Conversation.Messages[0].Role.ShouldBe(ChatRole.User);
    }
}
