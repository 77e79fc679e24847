using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Catalog;
using ToolSharp.Environments.Episodes;
using ToolSharp.Environments.Scoring;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Environments.Tests.Episodes;

/// <summary>The episode rules, one by one: what the driver runs, appends and ends on for each kind of assistant turn.</summary>
public class EpisodeDriverTests
{
    private static readonly IEnvironment Arith = EnvironmentCatalog.Create("arith:levels=1");
    private static readonly IEnvironment Memory = EnvironmentCatalog.Create("arith-memory:turns=2-2");

    private static ModelTurn Calls(params (string Name, string Args)[] calls) =>
        ModelTurn.Of(Message.Assistant(null, calls.Select(c => ToolCall.FromJson(c.Name, c.Args)).ToList()));

    private static ModelTurn Calc(string expression) => Calls(("calculator", $$"""{"expression": "{{expression}}"}"""));

    private static ModelTurn Say(string text) => ModelTurn.Of(Message.Assistant(text));

    [Fact]
    public async Task A_call_runs_its_result_is_appended_and_an_answer_ends_the_episode()
    {
        var task = Arith.GetTask("test", 0);
        var driver = EpisodeDriver.Start(Arith, task);
        driver.Transcript.Messages.Select(m => m.Role).ShouldBe([ChatRole.System, ChatRole.User]);

        var first = await driver.SubmitAsync(Calc(task.ExpectedAnswer));
        first.Next.ShouldBe(TurnNext.ToolResults);
        first.Results.Single().Content.ShouldBe(task.ExpectedAnswer);
        first.Calls.Single().Name.ShouldBe("calculator");
        driver.Transcript.Messages[^1].Role.ShouldBe(ChatRole.Tool);
        driver.Transcript.Messages[^2].ToolCalls.Single().Id.ShouldBe("call_0_0", "calls without ids get one per turn and position");

        var second = await driver.SubmitAsync(Say("Answer: " + task.ExpectedAnswer));
        second.Next.ShouldBe(TurnNext.Finished);
        driver.Ending.ShouldBe(EpisodeEnding.Answered);
        driver.Turns.ShouldBe(2);
        driver.Score().Correct.ShouldBeTrue();
        await Should.ThrowAsync<InvalidOperationException>(() => driver.SubmitAsync(Say("more")));
    }

    [Fact]
    public async Task An_unreadable_call_costs_a_call_and_is_answered_with_its_error_so_the_model_can_repair_it()
    {
        var driver = EpisodeDriver.Start(Arith, Arith.GetTask("test", 1), new EpisodeLimits(MaxTurns: 8, MaxToolCalls: 3));
        var error = new ToolCallError(ToolCallErrorKind.UnterminatedTag, "no closing </tool_call>");
        var outcome = await driver.SubmitAsync(new ModelTurn(Message.Assistant("<tool_call>{\"name\""), [error], "<tool_call>{\"name\""));

        outcome.Next.ShouldBe(TurnNext.ToolResults);
        outcome.Results.Single().Content.ShouldStartWith("Error: no closing");
        outcome.Calls.Single().Error.ShouldBe("unterminated_tag");
        outcome.Calls.Single().Arguments.ShouldBe("<tool_call>{\"name\"");
        driver.MalformedCalls.ShouldBe(1);
        driver.Episode.ToolCalls.Count.ShouldBe(1);
        driver.Episode.Executor.RemainingCalls.ShouldBe(2);
        driver.IsFinished.ShouldBeFalse();
    }

    [Fact]
    public async Task A_call_with_bad_arguments_runs_into_the_schema_check_and_the_episode_goes_on()
    {
        var driver = EpisodeDriver.Start(Arith, Arith.GetTask("test", 2));
        var outcome = await driver.SubmitAsync(Calls(("calculator", """{"expr": "1+1"}""")));
        outcome.Next.ShouldBe(TurnNext.ToolResults);
        outcome.Results.Single().IsError.ShouldBeTrue();
        driver.MalformedCalls.ShouldBe(0, "a call that was read is not malformed; the executor reports the violation");
        driver.Episode.ToolCalls.FailedCount.ShouldBe(1);
    }

    [Fact]
    public async Task A_call_past_the_budget_is_refused_and_ends_the_episode_after_the_calls_within_it_ran()
    {
        var driver = EpisodeDriver.Start(Arith, Arith.GetTask("test", 3), new EpisodeLimits(MaxTurns: 8, MaxToolCalls: 2));
        (await driver.SubmitAsync(Calc("1+1"))).Next.ShouldBe(TurnNext.ToolResults);
        var outcome = await driver.SubmitAsync(Calls(("calculator", """{"expression": "2+2"}"""), ("calculator", """{"expression": "3+3"}""")));
        outcome.Next.ShouldBe(TurnNext.Finished);
        driver.Ending.ShouldBe(EpisodeEnding.ToolBudget);
        outcome.Calls.Select(c => c.Error).ShouldBe([null, "budget_exceeded"]);
        outcome.Calls[0].Result.ShouldBe("4");
    }

    [Fact]
    public async Task After_the_last_allowed_turn_the_episode_ends_and_that_turns_calls_have_run()
    {
        var driver = EpisodeDriver.Start(Memory, Memory.GetTask("test", 0), new EpisodeLimits(MaxTurns: 2, MaxToolCalls: 16));
        await driver.SubmitAsync(Calc("1+1"));
        var outcome = await driver.SubmitAsync(Calls(("save", """{"name": "x", "value": 5}""")));
        outcome.Next.ShouldBe(TurnNext.Finished);
        driver.Ending.ShouldBe(EpisodeEnding.MaxTurns);
        driver.Score().Got!.ShouldContain("\"x\"", customMessage: "the save of the last allowed turn changed the state that is scored");
    }

    [Fact]
    public async Task A_turn_cut_by_the_token_limit_ends_the_episode_without_running_its_calls()
    {
        var driver = EpisodeDriver.Start(Arith, Arith.GetTask("test", 4));
        var outcome = await driver.SubmitAsync(Calc("1+1") with { Cut = EpisodeEnding.MaxTokens });
        outcome.Next.ShouldBe(TurnNext.Finished);
        driver.Ending.ShouldBe(EpisodeEnding.MaxTokens);
        driver.Episode.ToolCalls.Count.ShouldBe(0);
        outcome.Calls.Single().Result.ShouldBe("");
        Should.Throw<ArgumentException>(() => EpisodeDriver.Start(Arith, Arith.GetTask("test", 4)).SubmitAsync(Say("x") with { Cut = EpisodeEnding.Answered }).GetAwaiter().GetResult());
    }

    [Fact]
    public async Task Answering_a_user_turn_brings_the_next_one_and_the_last_answer_ends_the_episode()
    {
        var task = Memory.GetTask("test", 1);
        task.UserTurns.Count.ShouldBe(2);
        var driver = EpisodeDriver.Start(Memory, task);
        driver.Limits.ShouldBe(new EpisodeLimits(MaxTurns: 8, MaxToolCalls: 16), "arith-memory's limits grow with its turns, never below the defaults");
        await driver.SubmitAsync(Calc("1"));
        var next = await driver.SubmitAsync(Say("Saved."));
        next.Next.ShouldBe(TurnNext.UserTurn);
        next.UserMessages.Single().Content.ShouldBe(task.UserTurns[1]);
        driver.UserTurn.ShouldBe(1);
        driver.Transcript.Messages[^1].ShouldBe(next.UserMessages.Single());
        (await driver.SubmitAsync(Say("Answer: 0"))).Next.ShouldBe(TurnNext.Finished);
        driver.Ending.ShouldBe(EpisodeEnding.Answered);
        driver.Transcript.Messages.Count(m => m.Role == ChatRole.User).ShouldBe(2);
    }

    [Fact]
    public async Task The_turn_budget_counts_over_all_user_turns()
    {
        var driver = EpisodeDriver.Start(Memory, Memory.GetTask("test", 1), new EpisodeLimits(MaxTurns: 1, MaxToolCalls: 16));
        var outcome = await driver.SubmitAsync(Say("done"));
        outcome.Next.ShouldBe(TurnNext.Finished);
        driver.Ending.ShouldBe(EpisodeEnding.MaxTurns, "a second user turn exists, but no assistant turn is left to answer it");
    }

    [Fact]
    public async Task At_the_environments_response_limit_calls_are_recorded_not_run_and_the_episode_moves_on()
    {
        var env = new OneResponseEnvironment();
        var driver = EpisodeDriver.Start(env, env.GetTask("test", 0));
        var outcome = await driver.SubmitAsync(Calls(("echo", """{"text": "a"}""")));
        outcome.Next.ShouldBe(TurnNext.UserTurn);
        outcome.Calls.Single().Result.ShouldBe("", "at the limit the call is scored as written, not executed");
        env.Invocations.ShouldBe(0);
        var last = await driver.SubmitAsync(Calls(("echo", """{"text": "b"}""")));
        last.Next.ShouldBe(TurnNext.Finished);
        driver.Ending.ShouldBe(EpisodeEnding.TurnLimit);

        var answered = EpisodeDriver.Start(env, env.GetTask("test", 0));
        await answered.SubmitAsync(Say("one"));
        await answered.SubmitAsync(Say("two"));
        answered.Ending.ShouldBe(EpisodeEnding.Answered);
    }

    [Fact]
    public async Task A_fork_continues_from_the_same_point_with_its_own_rebuilt_state()
    {
        var driver = EpisodeDriver.Start(Memory, Memory.GetTask("test", 2));
        await driver.SubmitAsync(Calls(("save", """{"name": "x", "value": 7}""")));
        var fork = driver.Fork();
        fork.Transcript.ShouldBe(driver.Transcript);
        fork.Turns.ShouldBe(1);
        fork.Episode.ShouldNotBeSameAs(driver.Episode);
        fork.Episode.StateSnapshot()!.Value.GetRawText().ShouldBe(driver.Episode.StateSnapshot()!.Value.GetRawText());

        await fork.SubmitAsync(Calls(("save", """{"name": "x", "value": 8}""")));
        driver.Episode.StateSnapshot()!.Value.GetRawText().ShouldContain("7");
        fork.Episode.StateSnapshot()!.Value.GetRawText().ShouldContain("8");
        driver.Turns.ShouldBe(1);
    }

    [Fact]
    public async Task An_environment_with_its_own_step_rules_gets_each_response_as_one_step()
    {
        var env = new StepwiseEnvironment(maxSteps: 2);
        var driver = EpisodeDriver.Start(env, env.GetTask("test", 0));
        driver.Transcript.Tools.Select(t => t.Name).ShouldBe(["a"]);
        driver.Transcript.Messages.Single().Content.ShouldBe("turn 0");

        var step = await driver.SubmitAsync(Calls(("a", "{}"), ("a", """{"x": 1}""")));
        step.Next.ShouldBe(TurnNext.ToolResults);
        step.Results.Select(r => r.Content).ShouldBe(["a()", "a(x=1)"]);
        step.Results.Select(r => r.CallId).ShouldBe(["call_0_0", "call_0_1"]);
        env.Log.ShouldBe(["begin 0", "step a(),a(x=1)"]);
        driver.Episode.ToolCalls.Count.ShouldBe(2);

        var undecodable = await driver.SubmitAsync(Calls(("bad", "{}")));
        undecodable.Next.ShouldBe(TurnNext.UserTurn, "a response the environment cannot decode ends the user turn");
        undecodable.UserMessages.Single().Content.ShouldBe("turn 1");
        driver.Transcript.Tools.Select(t => t.Name).ShouldBe(["a", "b"], "the tools of the new turn");
        env.Log[^1].ShouldBe("begin 1");

        var unreadable = await driver.SubmitAsync(new ModelTurn(Message.Assistant("<tool_call>{"), [new ToolCallError(ToolCallErrorKind.UnterminatedTag, "x")]));
        unreadable.Next.ShouldBe(TurnNext.UserTurn, "unreadable call text ends the user turn too, and nothing runs");
        env.Log[^1].ShouldBe("begin 2");
        driver.MalformedCalls.ShouldBe(1);

        var fork = driver.Fork();
        env.Log.Clear();
        (await driver.SubmitAsync(Calls(("b", "{}")))).Next.ShouldBe(TurnNext.ToolResults);
        (await driver.SubmitAsync(Calls(("b", "{}")))).Next.ShouldBe(TurnNext.ToolResults);
        (await driver.SubmitAsync(Calls(("b", "{}")))).Next.ShouldBe(TurnNext.Finished);
        driver.Ending.ShouldBe(EpisodeEnding.StepLimit);

        // the fork replayed the steps into its own backend, turn by turn
        fork.Episode.Stepwise.ShouldBeOfType<StepwiseEnvironment.Steps>().Replayed.ShouldBe(["begin 0", "step a(),a(x=1)", "begin 1", "begin 2"]);
        (await fork.SubmitAsync(Say("done"))).Next.ShouldBe(TurnNext.Finished);
        fork.Ending.ShouldBe(EpisodeEnding.Answered);
    }

    [Fact]
    public void Ending_wire_names_are_stable() =>
        Enum.GetValues<EpisodeEnding>().Select(e => e.WireName()).ShouldBe(["answer", "max_turns", "tool_budget", "turn_limit", "max_tokens", "context_full", "step_limit"]);

    /// <summary>Three user turns; tool "b" appears from turn 1; a step with more than <c>maxSteps</c> calls of a turn stops it; "bad" cannot be decoded.</summary>
    private sealed class StepwiseEnvironment(int maxSteps) : IEnvironment
    {
        public List<string> Log { get; } = [];

        private static ToolSpec Tool(string name) => new(name, name, JsonValues.Parse("""{"type":"object","properties":{}}"""));

        public sealed class Steps(StepwiseEnvironment env, int maxSteps) : IStepwiseTools
        {
            private int _steps;

            public List<string> Replayed { get; } = [];

            private void Note(string line)
            {
                env.Log.Add(line);
                Replayed.Add(line);
            }

            public IReadOnlyList<Message> MessagesOf(int userTurn) => [Message.User($"turn {userTurn}")];

            public IReadOnlyList<ToolSpec> ToolsAt(int userTurn) => userTurn == 0 ? [Tool("a")] : [Tool("a"), Tool("b")];

            public void BeginUserTurn(int userTurn)
            {
                _steps = 0;
                Note($"begin {userTurn}");
            }

            public IReadOnlyList<ToolResult>? RunStep(IReadOnlyList<ToolCall> calls)
            {
                if (calls.Any(c => c.Name == "bad")) return null;
                var texts = calls.Select(c => $"{c.Name}({string.Join(",", c.Arguments.EnumerateObject().Select(p => $"{p.Name}={p.Value}"))})").ToList();
                Note("step " + string.Join(",", texts));
                Stopped = ++_steps > maxSteps;
                return calls.Zip(texts).Select(p => ToolResult.Success(p.First, p.Second)).ToList();
            }

            public bool Stopped { get; private set; }
        }

        public string Name => "stepwise";
        public string Version => "1";
        public string Description => "test";
        public string DefaultInstructions => "";
        public IReadOnlyList<ToolSpec> ToolSpecs => [];
        public IReadOnlyList<string> Splits => ["test"];
        public int? TaskCount(string split) => 1;
        public EnvironmentTask GetTask(string split, int index) => new("test/0", "test", 0, ["t0", "t1", "t2"], "");
        public EnvironmentTask? FindTask(string id) => id == "test/0" ? GetTask("test", 0) : null;

        public Episode CreateEpisode(EnvironmentTask task, ToolExecutionOptions? options = null) =>
            new(task, new ToolRegistry(), new ReferenceAnswerScorer(), "", options, stepwise: new Steps(this, maxSteps));
    }

    /// <summary>Two user turns, one response each (like BFCL single-turn's "first response only"), one echo tool.</summary>
    private sealed class OneResponseEnvironment : IEnvironment
    {
        public int Invocations;

        private static readonly ToolSpec Echo = new("echo", "Echo.", JsonValues.Parse("""{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}"""));

        public string Name => "one-response";
        public string Version => "1";
        public string Description => "test";
        public string DefaultInstructions => "";
        public IReadOnlyList<ToolSpec> ToolSpecs => [Echo];
        public IReadOnlyList<string> Splits => ["test"];
        public int? TaskCount(string split) => 1;
        public EnvironmentTask GetTask(string split, int index) => new("test/0", "test", 0, ["first", "second"], "");
        public EnvironmentTask? FindTask(string id) => id == "test/0" ? GetTask("test", 0) : null;

        public Episode CreateEpisode(EnvironmentTask task, ToolExecutionOptions? options = null) =>
            new(task, new ToolRegistry([new DelegateTool(Echo, a => { Invocations++; return a.GetProperty("text").GetString()!; })]),
                new ReferenceAnswerScorer(), "", options, maxAssistantTurns: 1);
    }
}
