using System.Text.Json;
using ToolSharp.Core.Formats;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Evaluation.Agent;
using ToolSharp.Evaluation.Policies;
using ToolSharp.Testing;

namespace ToolSharp.Evaluation.Tests.Policies;

public class OpenAiPolicyTests
{
    private static readonly ToolSpec Calculator = new("calculator", "Evaluate an expression.",
        JsonValues.Parse("""{"type":"object","properties":{"expression":{"type":"string"}},"required":["expression"]}"""));

    private static readonly Conversation Question =
        new([Message.System("Use tools."), Message.User("What is 2+3?")], [Calculator]);

    private const string CalcCall = """[{"id":"c1","type":"function","function":{"name":"calculator","arguments":"{\"expression\": \"2+3\"}"}}]""";

    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(300);

    /// <summary>A policy on a <see cref="ManualClock"/>: <see cref="Next"/> passes every backoff wait at once and records
    /// it, and leaves the attempt timeout alone, so it fires only where a test advances the clock past it.</summary>
    private sealed class Harness(OpenAiPolicy policy, ManualClock clock)
    {
        public OpenAiPolicy Policy { get; } = policy;

        public ManualClock Clock { get; } = clock;

        public List<TimeSpan> Delays { get; } = [];

        public Task<PolicyTurn> Next(PolicyRequest request, CancellationToken cancellation = default) =>
            Clock.RunAsync(Policy.NextAsync(request, cancellation), due =>
            {
                if (due == AttemptTimeout) return false;
                Delays.Add(due);
                return true;
            });
    }

    private static Harness Create(FakeOpenAiServer server, int attempts = 4, string? apiKey = null, IPromptRenderer? renderer = null, ManualClock? clock = null, params FakeOpenAiServer[] more)
    {
        clock ??= new ManualClock();
        var policy = new OpenAiPolicy(new OpenAiPolicyOptions
        {
            BaseUrls = [server.BaseUrl, .. more.Select(m => m.BaseUrl)],
            Model = "fake-model",
            ApiKey = apiKey,
            MaxConcurrency = 4,
            CompletionsRenderer = renderer,
            Retry = new RetryOptions { MaxAttempts = attempts, AttemptTimeout = AttemptTimeout, Clock = clock },
        });
        return new Harness(policy, clock);
    }

    [Fact]
    public async Task Native_mode_sends_tools_and_sampling_and_reads_calls_and_usage()
    {
        await using var server = new FakeOpenAiServer(_ => FakeResponse.Chat(null, CalcCall, promptTokens: 42, completionTokens: 7, finish: "tool_calls"));
        var policy = Create(server);

        var turn = await policy.Next(new PolicyRequest(Question, new SamplingParameters(0.7, 0.9, 123, 256)));

        turn.Message.ToolCalls.Single().ShouldBe(ToolCall.FromJson("calculator", """{"expression":"2+3"}""", "c1"));
        turn.PromptTokens.ShouldBe(42);
        turn.CompletionTokens.ShouldBe(7);
        turn.FinishReason.ShouldBe("tool_calls");
        turn.Attempts.ShouldBe(1);
        turn.SystemFingerprint.ShouldBe("fp_fake");
        var body = server.Requests.Single().Body;
        server.Requests.Single().Path.ShouldBe("/v1/chat/completions");
        body.GetProperty("model").GetString().ShouldBe("fake-model");
        body.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString().ShouldBe("calculator");
        body.GetProperty("temperature").GetDouble().ShouldBe(0.7);
        body.GetProperty("top_p").GetDouble().ShouldBe(0.9);
        body.GetProperty("seed").GetInt64().ShouldBe(123);
        body.GetProperty("max_tokens").GetInt32().ShouldBe(256);
        server.Requests.Single().Authorization.ShouldBeNull();
    }

    [Fact]
    public async Task Prompt_mode_describes_tools_in_text_and_parses_the_reply_with_the_format()
    {
        await using var server = new FakeOpenAiServer(_ => FakeResponse.Chat("<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"2+3\"}}\n</tool_call>"));
        var policy = Create(server, apiKey: "sk-test");

        var turn = await policy.Next(new PolicyRequest(Question, SamplingParameters.Default, ToolCallFormats.Hermes));

        turn.Message.ToolCalls.Single().Name.ShouldBe("calculator");
        turn.RawText!.ShouldContain("<tool_call>");
        var body = server.Requests.Single().Body;
        body.TryGetProperty("tools", out _).ShouldBeFalse();
        body.TryGetProperty("seed", out _).ShouldBeFalse();
        body.GetProperty("messages")[0].GetProperty("content").GetString()!.ShouldContain("calculator");
        server.Requests.Single().Authorization.ShouldBe("Bearer sk-test");
    }

    [Theory]
    [InlineData("stop", 1, 0)]
    [InlineData("length", 0, 1)]
    public async Task A_call_whose_closing_stop_string_the_server_cut_off_is_read_when_generation_stopped_on_it(string finish, int calls, int errors)
    {
        // Servers strip the stop string (here </tool_call>) from the text; finish_reason "stop" says it was written.
        await using var server = new FakeOpenAiServer(_ => FakeResponse.Chat("<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"2+3\"}}\n", finish: finish));
        var policy = Create(server);

        var turn = await policy.Next(new PolicyRequest(Question, SamplingParameters.Default, ToolCallFormats.Hermes));

        turn.Message.ToolCalls.Count.ShouldBe(calls);
        turn.ParseErrors.Count.ShouldBe(errors, "a turn cut by the token limit did not write the stop string");
        server.Requests.Single().Body.GetProperty("stop")[0].GetString().ShouldBe("</tool_call>");
    }

    [Fact]
    public async Task Malformed_model_text_is_a_parse_error_not_a_failure()
    {
        await using var server = new FakeOpenAiServer(_ => FakeResponse.Chat("<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": }}\n</tool_call>"));
        var policy = Create(server);

        var turn = await policy.Next(new PolicyRequest(Question, SamplingParameters.Default, ToolCallFormats.Hermes));

        turn.ParseErrors.Single().Kind.ShouldBe(ToolCallErrorKind.MalformedJson);
        turn.Attempts.ShouldBe(1);
        policy.Delays.ShouldBeEmpty();
    }

    [Fact]
    public async Task Native_arguments_that_are_not_json_become_parse_errors()
    {
        const string bad = """[{"id":"c1","type":"function","function":{"name":"calculator","arguments":"{expression: 2+3"}}]""";
        await using var server = new FakeOpenAiServer(_ => FakeResponse.Chat(null, bad));
        var policy = Create(server);

        var turn = await policy.Next(new PolicyRequest(Question, SamplingParameters.Default));

        turn.Message.ToolCalls.ShouldBeEmpty();
        turn.ParseErrors.Single().Kind.ShouldBe(ToolCallErrorKind.MalformedJson);
    }

    [Theory]
    [InlineData("500")]
    [InlineData("503")]
    [InlineData("429")]
    [InlineData("408")]
    [InlineData("malformed")]
    [InlineData("no-choices")]
    [InlineData("drop")]
    [InlineData("hang")]
    public async Task Transient_failures_are_retried_with_backoff(string failure)
    {
        var clock = new ManualClock();
        await using var server = new FakeOpenAiServer(r =>
        {
            if (r.Index >= 2) return FakeResponse.Chat("Answer: 5");
            switch (failure)
            {
                case "malformed": return FakeResponse.Json("{\"choices\": [{\"message\": ");
                case "no-choices": return FakeResponse.Json("{\"error\": null}");
                case "drop": return FakeResponse.Drop;
                case "hang":
                    // The request has arrived and will never be answered: the attempt timeout is what ends it.
                    clock.Advance(AttemptTimeout);
                    return FakeResponse.Hang;
                default: return FakeResponse.Status(int.Parse(failure));
            }
        });
        // A dropped connection can also fail the client's next request sent on it before the server reads it.
        var drop = failure == "drop";
        var policy = Create(server, attempts: drop ? 8 : 4, clock: clock);

        var turn = await policy.Next(new PolicyRequest(Question, SamplingParameters.Default));

        turn.Message.Content.ShouldBe("Answer: 5");
        if (drop) turn.Attempts.ShouldBeGreaterThanOrEqualTo(3); else turn.Attempts.ShouldBe(3);
        policy.Delays.Count.ShouldBe(turn.Attempts - 1);
        policy.Delays[0].ShouldBeInRange(TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500));
        policy.Delays[1].ShouldBeInRange(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1000));
        // Latency is read on the same clock: the waits, plus the attempt timeouts a hung request cost, and nothing else.
        var timeouts = failure == "hang" ? 2 : 0;
        turn.Latency.ShouldBe(policy.Delays.Aggregate(TimeSpan.Zero, (a, d) => a + d) + timeouts * AttemptTimeout);
    }

    [Fact]
    public async Task A_rerun_waits_the_same_way()
    {
        await using var server = new FakeOpenAiServer(r => r.Index % 4 < 3 ? FakeResponse.Status(503) : FakeResponse.Chat("ok"));
        var first = Create(server);
        var second = Create(server);

        await first.Next(new PolicyRequest(Question, SamplingParameters.Default));
        await second.Next(new PolicyRequest(Question, SamplingParameters.Default));

        first.Delays.Count.ShouldBe(3);
        second.Delays.ShouldBe(first.Delays);
    }

    [Fact]
    public async Task Cancelling_during_a_backoff_wait_cancels_instead_of_failing_the_endpoint()
    {
        await using var server = new FakeOpenAiServer(_ => FakeResponse.Status(503));
        var policy = Create(server);
        using var cancel = new CancellationTokenSource();

        var turn = policy.Clock.RunAsync(policy.Policy.NextAsync(new PolicyRequest(Question, SamplingParameters.Default), cancel.Token), due =>
        {
            if (due != AttemptTimeout) cancel.Cancel();
            return false;
        });

        await Should.ThrowAsync<OperationCanceledException>(turn);
        server.RequestCount.ShouldBe(1);
    }

    [Fact]
    public async Task Exhausted_retries_throw_a_policy_exception_naming_the_last_failure()
    {
        await using var server = new FakeOpenAiServer(_ => FakeResponse.Status(502, "bad gateway"));
        var policy = Create(server, attempts: 3);

        var ex = await Should.ThrowAsync<PolicyException>(() => policy.Next(new PolicyRequest(Question, SamplingParameters.Default)));

        ex.Message.ShouldContain("failed 3 times");
        ex.Message.ShouldContain("HTTP 502 bad gateway");
        policy.Delays.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_refused_request_is_not_retried()
    {
        await using var server = new FakeOpenAiServer(_ => FakeResponse.Status(400, "{\"error\":\"unknown model\"}"));
        var policy = Create(server);

        var ex = await Should.ThrowAsync<PolicyException>(() => policy.Next(new PolicyRequest(Question, SamplingParameters.Default)));

        ex.Message.ShouldContain("HTTP 400");
        server.RequestCount.ShouldBe(1);
        policy.Delays.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(7, 7)]
    [InlineData(120, 30)] // capped at RetryOptions.MaxDelay
    public async Task Retry_after_header_lengthens_the_wait(int retryAfter, int waited)
    {
        await using var server = new FakeOpenAiServer(r => r.Index == 0 ? FakeResponse.Status(429, retryAfterSeconds: retryAfter) : FakeResponse.Chat("ok"));
        var policy = Create(server);

        var turn = await policy.Next(new PolicyRequest(Question, SamplingParameters.Default));

        policy.Delays.Single().ShouldBe(TimeSpan.FromSeconds(waited));
        turn.Attempts.ShouldBe(2);
    }

    [Fact]
    public async Task Requests_are_spread_over_several_base_urls_and_a_dead_one_is_routed_around()
    {
        await using var a = new FakeOpenAiServer(_ => FakeResponse.Chat("a"));
        await using var b = new FakeOpenAiServer(_ => FakeResponse.Status(503));
        var policy = Create(a, more: [b]);

        var answers = new List<string?>();
        for (var i = 0; i < 4; i++) answers.Add((await policy.Next(new PolicyRequest(Question, SamplingParameters.Default))).Message.Content);

        answers.ShouldAllBe(x => x == "a");
        a.RequestCount.ShouldBe(4);
        b.RequestCount.ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task Completions_mode_renders_the_prompt_with_the_renderer()
    {
        await using var server = new FakeOpenAiServer(_ => FakeResponse.Json("""{"choices":[{"text":"<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"1\"}}\n</tool_call>","finish_reason":"stop"}],"usage":{"prompt_tokens":80,"completion_tokens":20}}"""));
        var policy = Create(server, renderer: ChatMlPromptRenderer.Instance);

        var turn = await policy.Next(new PolicyRequest(Question, SamplingParameters.Default, ToolCallFormats.Hermes));

        turn.Message.ToolCalls.Single().Name.ShouldBe("calculator");
        var request = server.Requests.Single();
        request.Path.ShouldBe("/v1/completions");
        request.Body.GetProperty("prompt").GetString()!.ShouldEndWith("<|im_start|>assistant\n");
        policy.Policy.Identity.TemplateHash.ShouldBe(ChatMlPromptRenderer.Instance.Hash);
    }

    [Fact]
    public async Task Endpoint_pool_caps_requests_in_flight()
    {
        var pool = new EndpointPool([new Uri("http://a/v1"), new Uri("http://b/v1")], maxConcurrency: 2);
        var first = await pool.Acquire(CancellationToken.None);
        var second = await pool.Acquire(CancellationToken.None);
        first.BaseUrl.ShouldNotBe(second.BaseUrl);

        var third = pool.Acquire(CancellationToken.None);
        third.IsCompleted.ShouldBeFalse();
        first.Dispose();
        var lease = await third;
        lease.BaseUrl.ShouldBe(first.BaseUrl);
        second.Dispose();
        lease.Dispose();
    }

    [Fact]
    public void Backoff_is_seeded_exponential_and_capped()
    {
        var options = new RetryOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(8), JitterSeed = 42 };
        var a = new Backoff(options);
        var b = new Backoff(options);
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            var d = a.Next(attempt);
            d.ShouldBe(b.Next(attempt));
            var cap = Math.Min(Math.Pow(2, attempt - 1), 8);
            d.TotalSeconds.ShouldBeInRange(cap / 2, cap);
        }
    }
}
