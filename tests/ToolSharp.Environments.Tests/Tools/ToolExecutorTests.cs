using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Environments.Tests.Tools;

public class ToolExecutorTests
{
    private static readonly JsonElement TextSchema =
        JsonValues.Parse("""{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}""");

    private static ITool Echo(string name = "echo") => new DelegateTool(new ToolSpec(name, "Echoes text.", TextSchema), a => a.GetProperty("text").GetString()!);

    private static ITool Tool(string name, Func<JsonElement, CancellationToken, ValueTask<string>> body) =>
        new DelegateTool(new ToolSpec(name, "", ToolSpec.EmptyParameters), body);

    private static ToolCall Call(string name, string args = "{}") => ToolCall.FromJson(name, args, "call_1");

    [Fact]
    public async Task A_successful_call_is_returned_and_recorded()
    {
        var executor = new ToolExecutor(new ToolRegistry([Echo()]));
        var result = await executor.ExecuteAsync(Call("echo", """{"text":"hi"}"""));
        result.ShouldBe(new ToolResult("call_1", "echo", "hi"));
        executor.Log.Count.ShouldBe(1);
        executor.Log[0].Succeeded.ShouldBeTrue();
        executor.Log.AllFailed.ShouldBeFalse();
    }

    [Fact]
    public async Task Unknown_tools_and_schema_violations_become_errors_the_model_sees()
    {
        var executor = new ToolExecutor(new ToolRegistry([Echo()]));
        var unknown = await executor.ExecuteAsync(Call("shout", """{"text":"hi"}"""));
        unknown.Error!.Kind.ShouldBe(ToolCallErrorKind.UnknownFunction);
        unknown.Content.ShouldBe("Error: unknown tool 'shout' (available: echo)");

        var missing = await executor.ExecuteAsync(Call("echo"));
        missing.Error!.Kind.ShouldBe(ToolCallErrorKind.MissingRequired);
        missing.Content.ShouldContain("text");

        var wrongType = await executor.ExecuteAsync(Call("echo", """{"text":5,"extra":1}"""));
        wrongType.Error!.Kind.ShouldBe(ToolCallErrorKind.WrongType);
        wrongType.Content.ShouldContain("extra"); // every violation is reported, not just the first

        var notAnObject = await executor.ExecuteAsync(new ToolCall("echo", JsonValues.String("{broken")));
        notAnObject.Error!.Kind.ShouldBe(ToolCallErrorKind.InvalidStructure);

        executor.Log.AllFailed.ShouldBeTrue();
        executor.Log.ErrorCounts()[ToolCallErrorKind.WrongType].ShouldBe(1);
    }

    [Fact]
    public async Task Exceptions_become_execution_errors()
    {
        var executor = new ToolExecutor(new ToolRegistry(
        [
            Tool("reported", (_, _) => throw new ToolInvocationException("no such country")),
            Tool("buggy", (_, _) => throw new InvalidOperationException("state corrupt")),
        ]));
        (await executor.ExecuteAsync(Call("reported"))).Content.ShouldBe("Error: no such country");
        var bug = await executor.ExecuteAsync(Call("buggy"));
        bug.Error!.Kind.ShouldBe(ToolCallErrorKind.ExecutionFailed);
        bug.Content.ShouldBe("Error: tool 'buggy' failed: InvalidOperationException: state corrupt");
    }

    [Fact]
    public async Task A_tool_that_waits_for_cancellation_times_out_exactly_at_the_limit()
    {
        var clock = new FakeTimeProvider();
        var started = new TaskCompletionSource();
        var executor = new ToolExecutor(
            new ToolRegistry([Tool("slow", async (_, ct) => { started.SetResult(); await Task.Delay(Timeout.Infinite, ct); return "never"; })]),
            new ToolExecutionOptions { Timeout = TimeSpan.FromSeconds(5), Clock = clock });

        var running = executor.ExecuteAsync(Call("slow"));
        await started.Task;
        clock.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        running.IsCompleted.ShouldBeFalse(); // nothing but the clock can end this call
        clock.Advance(TimeSpan.FromTicks(1));
        var result = await running;

        result.Error!.Kind.ShouldBe(ToolCallErrorKind.Timeout);
        result.Content.ShouldBe("Error: tool 'slow' did not finish within 5 s");
        executor.Log[0].Duration.ShouldBe(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_tool_that_ignores_cancellation_still_times_out()
    {
        var clock = new FakeTimeProvider();
        var started = new TaskCompletionSource();
        var never = new TaskCompletionSource<string>();
        var executor = new ToolExecutor(
            new ToolRegistry([Tool("stuck", (_, _) => { started.SetResult(); return new ValueTask<string>(never.Task); })]),
            new ToolExecutionOptions { Timeout = TimeSpan.FromSeconds(5), Clock = clock });

        var running = executor.ExecuteAsync(Call("stuck"));
        await started.Task;
        clock.Advance(TimeSpan.FromSeconds(5));

        (await running).Error!.Kind.ShouldBe(ToolCallErrorKind.Timeout);
    }

    [Fact]
    public async Task Durations_are_read_on_the_executor_clock()
    {
        var clock = new FakeTimeProvider();
        var executor = new ToolExecutor(new ToolRegistry([Tool("tick", (_, _) =>
        {
            clock.Advance(TimeSpan.FromSeconds(2)); // the tool "takes" two seconds, within the limit
            return ValueTask.FromResult("done");
        })]), new ToolExecutionOptions { Timeout = TimeSpan.FromSeconds(5), Clock = clock });

        (await executor.ExecuteAsync(Call("tick"))).Content.ShouldBe("done");
        executor.Log[0].Duration.ShouldBe(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Cancelling_the_run_propagates_instead_of_becoming_a_tool_error()
    {
        using var cts = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var executor = new ToolExecutor(new ToolRegistry([Tool("wait", async (_, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return "never";
        })]));
        var running = executor.ExecuteAsync(Call("wait"), cts.Token);
        await started.Task;
        cts.Cancel();
        await Should.ThrowAsync<OperationCanceledException>(running);
    }

    [Fact]
    public async Task Long_output_is_truncated_with_a_marker_and_the_original_length_recorded()
    {
        var executor = new ToolExecutor(new ToolRegistry([Tool("big", (_, _) => ValueTask.FromResult(new string('x', 5000)))]),
            new ToolExecutionOptions { MaxOutputChars = 100 });
        var result = await executor.ExecuteAsync(Call("big"));
        result.Content.Length.ShouldBeLessThanOrEqualTo(100);
        result.Content.ShouldContain("[truncated ");
        result.IsError.ShouldBeFalse();
        executor.Log[0].Truncated.ShouldBeTrue();
        executor.Log[0].OutputChars.ShouldBe(5000);
    }

    [Fact]
    public async Task The_budget_counts_every_call_and_refuses_once_spent()
    {
        var executor = new ToolExecutor(new ToolRegistry([Echo()]), new ToolExecutionOptions { MaxCalls = 2 });
        await executor.ExecuteAsync(Call("echo", """{"text":"a"}"""));
        await executor.ExecuteAsync(Call("nope"));
        executor.RemainingCalls.ShouldBe(0);
        var third = await executor.ExecuteAsync(Call("echo", """{"text":"b"}"""));
        third.Error!.Kind.ShouldBe(ToolCallErrorKind.BudgetExceeded);
        executor.Log.Select(r => r.Succeeded).ShouldBe([true, false, false]);
        executor.CallsMade.ShouldBe(3);
    }

    [Fact]
    public async Task Parse_failures_can_be_recorded_and_count_against_the_budget()
    {
        var executor = new ToolExecutor(new ToolRegistry([Echo()]), new ToolExecutionOptions { MaxCalls = 1 });
        var result = executor.RecordFailure(new ToolCall("echo", JsonValues.String("{oops")), new ToolCallError(ToolCallErrorKind.MalformedJson, "bad JSON"));
        result.Content.ShouldBe("Error: bad JSON");
        executor.Log.AllFailed.ShouldBeTrue();
        (await executor.ExecuteAsync(Call("echo", """{"text":"a"}"""))).Error!.Kind.ShouldBe(ToolCallErrorKind.BudgetExceeded);
    }

    [Fact]
    public async Task Calls_run_in_order()
    {
        var seen = new List<string>();
        var executor = new ToolExecutor(new ToolRegistry([new DelegateTool(new ToolSpec("log", "", TextSchema), a =>
        {
            seen.Add(a.GetProperty("text").GetString()!);
            return "ok";
        })]), new ToolExecutionOptions { MaxCalls = null });
        var calls = Enumerable.Range(0, 20).Select(i => Call("log", $$"""{"text":"{{i}}"}""")).ToList();
        var results = await executor.ExecuteAllAsync(calls);
        results.Count.ShouldBe(20);
        seen.ShouldBe(Enumerable.Range(0, 20).Select(i => i.ToString()));
        executor.RemainingCalls.ShouldBeNull();
    }

    [Fact]
    public void Registry_rejects_duplicate_names_and_lists_names_when_one_is_missing()
    {
        var registry = new ToolRegistry([Echo()]);
        Should.Throw<Core.Errors.ToolSharpException>(() => registry.Add(Echo())).Message.ShouldContain("registered twice");
        Should.Throw<Core.Errors.ToolSharpException>(() => registry["nope"]).Message.ShouldContain("available: echo");
        registry.Specs.Select(s => s.Name).ShouldBe(["echo"]);
    }
}
