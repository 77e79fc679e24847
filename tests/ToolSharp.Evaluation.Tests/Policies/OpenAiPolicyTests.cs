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

    private static (OpenAiPolicy Policy, List<TimeSpan> Delays) Create(FakeOpenAiServer server, int attempts = 4, string? apiKey = null, IPromptRenderer? renderer = null, TimeSpan? timeout = null, params FakeOpenAiServer[] more)
    {
        var delays = new List<TimeSpan>();
        var policy = new OpenAiPolicy(new OpenAiPolicyOptions
        {
            BaseUrls = [server.BaseUrl, .. more.Select(m => m.BaseUrl)],
            Model = "fake-model",
            ApiKey = apiKey,
            MaxConcurrency = 4,
            CompletionsRenderer = renderer,
            Retry = new RetryOptions
            {
                MaxAttempts = attempts,
                // Long enough that a loaded test machine never times out a prompt answer; only the "hang" case uses a short one.
                AttemptTimeout = timeout ?? TimeSpan.FromSeconds(30),
                Delay = (d, _) => { lock (delays) delays.Add(d); return Task.CompletedTask; },
            },
        });
        return (policy, delays);
    }

    [Fact]
    public async Task Native_mode_sends_tools_and_sampling_and_reads_calls_and_usage()
    {
        await using var server = new FakeOpenAiServer(_ => FakeResponse.Chat(null, CalcCall, promptTokens: 42, completionTokens: 7, finish: "tool_calls"));
        var (policy, _) = Create(server);

        var turn = await policy.NextAsync(new PolicyRequest(Question, new SamplingParameters(0.7, 0.9, 123, 256)));

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
        var (policy, _) = Create(server, apiKey: "sk-test");

        var turn = await policy.NextAsync(new PolicyRequest(Question, SamplingParameters.Default, ToolCallFormats.Hermes));

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
        var (policy, _) = Create(server);

        var turn = await policy.NextAsync(new PolicyRequest(Question, SamplingParameters.Default, ToolCallFormats.Hermes));

        turn.Message.ToolCalls.Count.ShouldBe(calls);
        turn.ParseErrors.Count.ShouldBe(errors, "a turn cut by the token limit did not write the stop string");
        server.Requests.Single().Body.GetProperty("stop")[0].GetString().ShouldBe("</tool_call>");
    }

    [Fact]
    public async Task Malformed_model_text_is_a_parse_error_not_a_failure()
    {
        await using var server = new FakeOpenAiServer(_ => FakeResponse.Chat("<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": }}\n</tool_call>"));
        var (policy, delays) = Create(server);

        var turn = await policy.NextAsync(new PolicyRequest(Question, SamplingParameters.Default, ToolCallFormats.Hermes));

        turn.ParseErrors.Single().Kind.ShouldBe(ToolCallErrorKind.MalformedJson);
        turn.Attempts.ShouldBe(1);
        delays.ShouldBeEmpty();
    }

    [Fact]
    public async Task Native_arguments_that_are_not_json_become_parse_errors()
    {
        const string bad = """[{"id":"c1","type":"function","function":{"name":"calculator","arguments":"{expression: 2+3"}}]""";
        await using var server = new FakeOpenAiServer(_ => FakeResponse.Chat(null, bad));
        var (policy, _) = Create(server);

        var turn = await policy.NextAsync(new PolicyRequest(Question, SamplingParameters.Default));

        turn.Message.ToolCalls.ShouldBeEmpty();
        turn.ParseErrors.Single().Kind.ShouldBe(ToolCallErrorKind.MalformedJson);
    }

    [Theory]
    [InlineData("500")]
    [InlineData("503")]
    [InlineData("429")]
    [InlineData("malformed")]
    [InlineData("no-choices")]
    [InlineData("drop")]
    [InlineData("hang")]
    public async Task Transient_failures_are_retried_with_backoff(string failure)
    {
        await using var server = new FakeOpenAiServer(r => r.Index < 2
            ? failure switch
            {
                "malformed" => FakeResponse.Json("{\"choices\": [{\"message\": "),
                "no-choices" => FakeResponse.Json("{\"error\": null}"),
                "drop" => FakeResponse.Drop,
                "hang" => FakeResponse.Hang,
                _ => FakeResponse.Status(int.Parse(failure)),
            }
            : FakeResponse.Chat("Answer: 5"));
        var hang = failure == "hang";
        // A hung request is abandoned after the attempt timeout; on a loaded machine a slow good answer may be too. A
        // dropped connection can also fail the client's next request sent on it before the server reads it.
        var extraFailures = hang || failure == "drop";
        var (policy, delays) = Create(server, attempts: extraFailures ? 8 : 4, timeout: hang ? TimeSpan.FromMilliseconds(250) : null);

        var turn = await policy.NextAsync(new PolicyRequest(Question, SamplingParameters.Default));

        turn.Message.Content.ShouldBe("Answer: 5");
        if (extraFailures) turn.Attempts.ShouldBeGreaterThanOrEqualTo(3); else turn.Attempts.ShouldBe(3);
        delays.Count.ShouldBe(turn.Attempts - 1);
        delays[0].ShouldBeInRange(TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500));
        delays[1].ShouldBeInRange(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1000));
    }

    [Fact]
    public async Task Exhausted_retries_throw_a_policy_exception_naming_the_last_failure()
    {
        await using var server = new FakeOpenAiServer(_ => FakeResponse.Status(502, "bad gateway"));
        var (policy, delays) = Create(server, attempts: 3);

        var ex = await Should.ThrowAsync<PolicyException>(() => policy.NextAsync(new PolicyRequest(Question, SamplingParameters.Default)));

        ex.Message.ShouldContain("failed 3 times");
        ex.Message.ShouldContain("HTTP 502 bad gateway");
        delays.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_refused_request_is_not_retried()
    {
        await using var server = new FakeOpenAiServer(_ => FakeResponse.Status(400, "{\"error\":\"unknown model\"}"));
        var (policy, delays) = Create(server);

        var ex = await Should.ThrowAsync<PolicyException>(() => policy.NextAsync(new PolicyRequest(Question, SamplingParameters.Default)));

        ex.Message.ShouldContain("HTTP 400");
        server.RequestCount.ShouldBe(1);
        delays.ShouldBeEmpty();
    }

    [Fact]
    public async Task Retry_after_header_lengthens_the_wait()
    {
        await using var server = new FakeOpenAiServer(r => r.Index == 0 ? FakeResponse.Status(429, retryAfterSeconds: 7) : FakeResponse.Chat("ok"));
        var (policy, delays) = Create(server);

        await policy.NextAsync(new PolicyRequest(Question, SamplingParameters.Default));

        delays.Single().ShouldBe(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task Requests_are_spread_over_several_base_urls_and_a_dead_one_is_routed_around()
    {
        await using var a = new FakeOpenAiServer(_ => FakeResponse.Chat("a"));
        await using var b = new FakeOpenAiServer(_ => FakeResponse.Status(503));
        var (policy, _) = Create(a, more: [b]);

        var answers = new List<string?>();
        for (var i = 0; i < 4; i++) answers.Add((await policy.NextAsync(new PolicyRequest(Question, SamplingParameters.Default))).Message.Content);

        answers.ShouldAllBe(x => x == "a");
        a.RequestCount.ShouldBe(4);
        b.RequestCount.ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task Completions_mode_renders_the_prompt_with_the_renderer()
    {
        await using var server = new FakeOpenAiServer(_ => FakeResponse.Json("""{"choices":[{"text":"<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"1\"}}\n</tool_call>","finish_reason":"stop"}],"usage":{"prompt_tokens":80,"completion_tokens":20}}"""));
        var (policy, _) = Create(server, renderer: ChatMlPromptRenderer.Instance);

        var turn = await policy.NextAsync(new PolicyRequest(Question, SamplingParameters.Default, ToolCallFormats.Hermes));

        turn.Message.ToolCalls.Single().Name.ShouldBe("calculator");
        var request = server.Requests.Single();
        request.Path.ShouldBe("/v1/completions");
        request.Body.GetProperty("prompt").GetString()!.ShouldEndWith("<|im_start|>assistant\n");
        policy.Identity.TemplateHash.ShouldBe(ChatMlPromptRenderer.Instance.Hash);
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
