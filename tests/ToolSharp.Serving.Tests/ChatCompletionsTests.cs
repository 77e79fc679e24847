using System.Net;
using System.Text;
using System.Text.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Inference.Rendering;
using ToolSharp.Models;
using ToolSharp.Models.Generation;
using ToolSharp.Serving.Tests.Support;

namespace ToolSharp.Serving.Tests;

/// <summary>The HTTP surface over loopback: responses, streaming, sampling parameters, tool_choice and errors.</summary>
public class ChatCompletionsTests(ServedModels models) : IClassFixture<ServedModels>
{
    private static readonly HttpClient Http = new();

    private const string Tools = """[{"type": "function", "function": {"name": "calculator", "description": "Evaluate an arithmetic expression.", "parameters": {"type": "object", "properties": {"expression": {"type": "string"}}, "required": ["expression"]}}}]""";

    private static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Post(OpenAiServer server, string body, CancellationToken cancellation = default)
    {
        var response = await Http.PostAsync(new Uri(server.BaseAddress, "chat/completions"), new StringContent(body, Encoding.UTF8, "application/json"), cancellation);
        var text = await response.Content.ReadAsStringAsync(cancellation);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    private static string Ask(string model, string extra = "", string question = "What is 3+4?") =>
        $$"""{"model": "{{model}}", "messages": [{"role": "user", "content": "{{question}}"}]{{(extra.Length > 0 ? ", " + extra : "")}}}""";

    [Fact]
    public async Task Models_lists_the_served_model()
    {
        var text = await Http.GetStringAsync(new Uri(models.RandomServer.BaseAddress, "models"));
        var data = JsonDocument.Parse(text).RootElement.GetProperty("data");
        data.GetArrayLength().ShouldBe(1);
        data[0].GetProperty("id").GetString().ShouldBe("random");
        data[0].GetProperty("object").GetString().ShouldBe("model");
    }

    [Fact]
    public async Task A_greedy_reply_is_what_the_engine_generates_for_the_rendered_prompt()
    {
        var (status, body, _) = await Post(models.RandomServer, Ask("random", "\"temperature\": 0, \"max_tokens\": 20"));
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        var renderer = BuiltinRolloutRenderer.Instance;
        var prompt = renderer.Prompt(new Conversation([Message.User("What is 3+4?")]));
        var session = new GenerationSession(Transformer.Load(models.RandomDirectory), SamplingOptions.Greedy);
        var segment = session.Generate([session.Start(prompt, 0)], new GenerationLimits(20, renderer.StopTokens)).Single();
        var tokens = segment.Tokens.Length > 0 && segment.Tokens[^1] == renderer.EndOfTurn ? segment.Tokens[..^1] : segment.Tokens;
        var choice = body.GetProperty("choices")[0];
        choice.GetProperty("message").GetProperty("content").GetString().ShouldBe(renderer.Decode(tokens));
        choice.GetProperty("finish_reason").GetString().ShouldBe(segment.StopReason == StopReason.StopToken ? "stop" : "length");
        var usage = body.GetProperty("usage");
        usage.GetProperty("prompt_tokens").GetInt32().ShouldBe(prompt.Length);
        usage.GetProperty("completion_tokens").GetInt32().ShouldBe(segment.Tokens.Length);
        usage.GetProperty("total_tokens").GetInt32().ShouldBe(prompt.Length + segment.Tokens.Length);
        body.GetProperty("object").GetString().ShouldBe("chat.completion");
        body.GetProperty("system_fingerprint").GetString()!.ShouldStartWith("toolsharp-");
    }

    [Fact]
    public async Task The_warmed_model_calls_its_tool_and_the_call_comes_back_as_tool_calls()
    {
        var (status, body, _) = await Post(models.WarmedServer, Ask("warmed", $"\"tools\": {Tools}, \"temperature\": 0"));
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        var choice = body.GetProperty("choices")[0];
        choice.GetProperty("finish_reason").GetString().ShouldBe("tool_calls", body.ToString());
        var message = choice.GetProperty("message");
        message.GetProperty("content").ValueKind.ShouldBe(JsonValueKind.Null);
        var call = message.GetProperty("tool_calls")[0];
        call.GetProperty("id").GetString()!.ShouldStartWith("call_");
        call.GetProperty("type").GetString().ShouldBe("function");
        call.GetProperty("function").GetProperty("name").GetString().ShouldBe("calculator");
        JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!).RootElement.GetProperty("expression").GetString().ShouldNotBeNull();

        // The tool result goes back as a tool message, and the model answers.
        var follow = $$"""
            {"model": "warmed", "temperature": 0, "tools": {{Tools}}, "messages": [
              {"role": "user", "content": "What is 3+4?"},
              {"role": "assistant", "content": null, "tool_calls": [{{call.GetRawText()}}]},
              {"role": "tool", "tool_call_id": "{{call.GetProperty("id").GetString()}}", "content": "7"}]}
            """;
        var (status2, answer, _) = await Post(models.WarmedServer, follow);
        status2.ShouldBe(HttpStatusCode.OK, answer.ToString());
        answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!.ShouldStartWith("Answer:");
    }

    [Fact]
    public async Task Tool_choice_none_hides_the_tools_and_a_named_function_is_forced()
    {
        var (_, none, _) = await Post(models.WarmedServer, Ask("warmed", $"\"tools\": {Tools}, \"tool_choice\": \"none\", \"temperature\": 0"));
        var message = none.GetProperty("choices")[0].GetProperty("message");
        message.TryGetProperty("tool_calls", out _).ShouldBeFalse();
        var (_, auto, _) = await Post(models.WarmedServer, Ask("warmed", $"\"tools\": {Tools}, \"temperature\": 0"));
        // Without tools the prompt is shorter: they were not rendered.
        none.GetProperty("usage").GetProperty("prompt_tokens").GetInt32().ShouldBeLessThan(auto.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());

        // The random model would not call anything; forced, its turn starts with the call's opening through the arguments.
        var named = "\"tool_choice\": {\"type\": \"function\", \"function\": {\"name\": \"calculator\"}}, \"temperature\": 0, \"max_tokens\": 8";
        var (status, forced, _) = await Post(models.RandomServer, Ask("random", $"\"tools\": {Tools}, {named}"));
        status.ShouldBe(HttpStatusCode.OK, forced.ToString());
        var (_, free, _) = await Post(models.RandomServer, Ask("random", $"\"tools\": {Tools}, \"temperature\": 0, \"max_tokens\": 8"));
        var opening = BuiltinRolloutRenderer.Instance.Demonstration(new Conversation([Message.User("x"), Message.Assistant(null, [Core.Tools.ToolCall.FromJson("calculator", "{}")])])).Tokens;
        forced.GetProperty("usage").GetProperty("prompt_tokens").GetInt32().ShouldBeGreaterThan(free.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() + 10);
        opening.Length.ShouldBeGreaterThan(10);
    }

    [Fact]
    public async Task A_call_that_cannot_be_read_comes_back_as_the_text_the_model_wrote()
    {
        // Forced to call and cut after two tokens, the call is never closed: the reply is its text, streamed or not.
        var ask = Ask("random", $"\"tools\": {Tools}, \"tool_choice\": \"required\", \"temperature\": 0, \"max_tokens\": 2");
        var (status, whole, _) = await Post(models.RandomServer, ask);
        status.ShouldBe(HttpStatusCode.OK, whole.ToString());
        var choice = whole.GetProperty("choices")[0];
        choice.GetProperty("message").TryGetProperty("tool_calls", out _).ShouldBeFalse();
        choice.GetProperty("finish_reason").GetString().ShouldBe("length");
        var renderer = BuiltinRolloutRenderer.Instance;
        var visible = new Conversation([Message.User("What is 3+4?")], [ServedModels.Calculator]);
        var opening = renderer.Decode(Completions.ForcedCallPrefix.Required(renderer, visible, renderer.Prompt(visible))).Trim();
        opening.Length.ShouldBeGreaterThan(0);
        var content = choice.GetProperty("message").GetProperty("content").GetString()!;
        content.ShouldStartWith(opening);
        content.Length.ShouldBeGreaterThan(opening.Length);

        var stream = await Http.PostAsync(new Uri(models.RandomServer.BaseAddress, "chat/completions"), new StringContent(ask[..^1] + ", \"stream\": true}", Encoding.UTF8, "application/json"));
        var deltas = (await stream.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[..^1]
            .Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement.GetProperty("choices")[0].GetProperty("delta")).ToList();
        deltas.Count(d => d.TryGetProperty("tool_calls", out _)).ShouldBe(0);
        string.Concat(deltas.Where(d => d.TryGetProperty("content", out _)).Select(d => d.GetProperty("content").GetString())).ShouldBe(content);
    }

    [Fact]
    public async Task Seed_temperature_and_stop_are_honoured()
    {
        var sampled = "\"temperature\": 1, \"max_tokens\": 24, \"seed\": 5";
        var (_, a, _) = await Post(models.RandomServer, Ask("random", sampled));
        var (_, b, _) = await Post(models.RandomServer, Ask("random", sampled));
        var (_, c, _) = await Post(models.RandomServer, Ask("random", "\"temperature\": 1, \"max_tokens\": 24, \"seed\": 6"));
        string Content(JsonElement e) => e.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        Content(a).ShouldBe(Content(b));
        Content(a).ShouldNotBe(Content(c));

        // A stop string taken from the free text: the reply is cut before it.
        var (_, greedy, _) = await Post(models.RandomServer, Ask("random", "\"temperature\": 0, \"max_tokens\": 30"));
        var text = Content(greedy);
        var stop = text.Substring(text.Length / 2, 2);
        var (_, cut, _) = await Post(models.RandomServer, Ask("random", $"\"temperature\": 0, \"max_tokens\": 30, \"stop\": [{JsonSerializer.Serialize(stop)}]"));
        Content(cut).ShouldBe(text[..text.IndexOf(stop, StringComparison.Ordinal)]);
        cut.GetProperty("choices")[0].GetProperty("finish_reason").GetString().ShouldBe("stop");

        var (_, shortReply, _) = await Post(models.RandomServer, Ask("random", "\"temperature\": 0, \"max_completion_tokens\": 3"));
        shortReply.GetProperty("usage").GetProperty("completion_tokens").GetInt32().ShouldBeLessThanOrEqualTo(3);
    }

    [Fact]
    public async Task Logprobs_come_with_their_top_alternatives()
    {
        var (status, body, _) = await Post(models.RandomServer, Ask("random", "\"temperature\": 0, \"max_tokens\": 6, \"logprobs\": true, \"top_logprobs\": 3"));
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        var content = body.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content");
        content.GetArrayLength().ShouldBe(body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        foreach (var token in content.EnumerateArray())
        {
            var top = token.GetProperty("top_logprobs");
            top.GetArrayLength().ShouldBe(3);
            // Greedy: the chosen token is the most likely one.
            top[0].GetProperty("token").GetString().ShouldBe(token.GetProperty("token").GetString());
            top[0].GetProperty("logprob").GetSingle().ShouldBe(token.GetProperty("logprob").GetSingle());
            top[1].GetProperty("logprob").GetSingle().ShouldBeLessThanOrEqualTo(top[0].GetProperty("logprob").GetSingle());
            token.GetProperty("logprob").GetSingle().ShouldBeLessThanOrEqualTo(0f);
        }
    }

    [Fact]
    public async Task A_stream_carries_the_same_reply_in_chunks_and_ends_with_usage()
    {
        var ask = Ask("warmed", $"\"tools\": {Tools}, \"temperature\": 0");
        var (_, whole, _) = await Post(models.WarmedServer, ask);
        var streamed = ask.Replace("\"temperature\": 0", "\"temperature\": 0, \"stream\": true, \"stream_options\": {\"include_usage\": true}");
        var response = await Http.PostAsync(new Uri(models.WarmedServer.BaseAddress, "chat/completions"), new StringContent(streamed, Encoding.UTF8, "application/json"));
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        events[^1].ShouldBe("data: [DONE]");
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        chunks.ShouldAllBe(c => c.GetProperty("object").GetString() == "chat.completion.chunk");
        chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString().ShouldBe("assistant");
        var usage = chunks[^1];
        usage.GetProperty("choices").GetArrayLength().ShouldBe(0);
        usage.GetProperty("usage").GetRawText().ShouldBe(whole.GetProperty("usage").GetRawText());
        var finish = chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString();
        finish.ShouldBe(whole.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        var calls = chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray())
            .Where(c => c.GetProperty("delta").TryGetProperty("tool_calls", out _))
            .Select(c => c.GetProperty("delta").GetProperty("tool_calls")[0].GetProperty("function")).ToList();
        var expected = whole.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls");
        calls.Count.ShouldBe(expected.GetArrayLength());
        calls[0].GetProperty("arguments").GetString().ShouldBe(expected[0].GetProperty("function").GetProperty("arguments").GetString());

        // A text reply streams as content deltas that add up to the whole reply.
        var text = Ask("random", "\"temperature\": 0, \"max_tokens\": 16");
        var (_, plain, _) = await Post(models.RandomServer, text);
        var stream = await Http.PostAsync(new Uri(models.RandomServer.BaseAddress, "chat/completions"), new StringContent(text[..^1] + ", \"stream\": true}", Encoding.UTF8, "application/json"));
        var deltas = (await stream.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[..^1]
            .Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement.GetProperty("choices")[0].GetProperty("delta"))
            .Where(d => d.TryGetProperty("content", out _)).Select(d => d.GetProperty("content").GetString()).ToList();
        string.Concat(deltas).ShouldBe(plain.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        deltas.Count.ShouldBeGreaterThan(2);
    }

    [Theory]
    [InlineData("{\"model\": \"nope\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "model", "model_not_found")]
    [InlineData("{\"model\": \"random\"}", "messages", "invalid_value")]
    [InlineData("{\"model\": \"random\", \"messages\": []}", "messages", "invalid_value")]
    [InlineData("{\"model\": \"random\", \"messages\": [{\"role\": \"bot\", \"content\": \"hi\"}]}", "messages[0].role", "invalid_value")]
    [InlineData("{\"model\": \"random\", \"messages\": [{\"role\": \"tool\"}]}", "messages[0].content", "invalid_value")]
    [InlineData("{\"model\": \"random\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"temperature\": 3}", "temperature", "invalid_value")]
    [InlineData("{\"model\": \"random\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": 0}", "max_tokens", "invalid_value")]
    [InlineData("{\"model\": \"random\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"top_logprobs\": 2}", "top_logprobs", "invalid_value")]
    [InlineData("{\"model\": \"random\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"n\": 2}", "n", "invalid_value")]
    [InlineData("{\"model\": \"random\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"stop\": [1]}", "stop", "invalid_value")]
    [InlineData("{\"model\": \"random\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"tool_choice\": \"required\"}", "tool_choice", "invalid_value")]
    [InlineData("{\"model\": \"random\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\", \"parameters\": {\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"dict\"}}}}}]}", "tools[0].function.parameters.properties.x.type", "invalid_value")]
    [InlineData("{\"model\": \"random\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\", \"parameters\": {\"type\": \"string\"}}}]}", "tools[0].function.parameters.type", "invalid_value")]
    [InlineData("{\"model\": \"random\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}], \"tool_choice\": {\"type\": \"function\", \"function\": {\"name\": \"g\"}}}", "tool_choice.function.name", "invalid_value")]
    [InlineData("{\"model\": \"random\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"stream_options\": {\"include_usage\": true}}", "stream_options", "invalid_value")]
    [InlineData("{not json", null, "invalid_json")]
    public async Task Bad_requests_get_a_400_in_openais_error_shape(string body, string? param, string code)
    {
        var (status, error, _) = await Post(models.RandomServer, body);
        status.ShouldBe(HttpStatusCode.BadRequest);
        var e = error.GetProperty("error");
        e.GetProperty("type").GetString().ShouldBe("invalid_request_error");
        e.GetProperty("code").GetString().ShouldBe(code);
        if (param is null) e.GetProperty("param").ValueKind.ShouldBe(JsonValueKind.Null);
        else e.GetProperty("param").GetString().ShouldBe(param);
        e.GetProperty("message").GetString()!.ShouldNotContain("\n");
        if (param is not null) e.GetProperty("message").GetString()!.ShouldStartWith(param);
    }

    [Fact]
    public async Task An_unknown_path_is_a_404_and_a_prompt_too_long_a_400()
    {
        var response = await Http.GetAsync(new Uri(models.RandomServer.BaseAddress, "embeddings"));
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString().ShouldBe("unknown_url");
        var (status, error, _) = await Post(models.RandomServer, Ask("random", question: new string('x', 600)));
        status.ShouldBe(HttpStatusCode.BadRequest);
        error.GetProperty("error").GetProperty("code").GetString().ShouldBe("context_length_exceeded");
    }

    [Fact]
    public async Task A_full_queue_answers_503_with_retry_after_and_a_cancelled_request_frees_its_place()
    {
        var (model, server) = await models.Manual(maxBatch: 1, maxQueue: 0);
        await using var _ = server;
        using var __ = model;
        using var first = new CancellationTokenSource();
        var occupying = Post(server, Ask("random", "\"max_tokens\": 4"), first.Token);
        // Nothing runs until the test steps the batcher: wait for the request to take the only place.
        while (model.Batcher.Load.Waiting == 0) await Task.Yield();
        var (status, error, response) = await Post(server, Ask("random"));
        status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        error.GetProperty("error").GetProperty("code").GetString().ShouldBe("queue_full");

        first.Cancel();
        await Should.ThrowAsync<OperationCanceledException>(() => occupying);
        while (model.Batcher.Load.Waiting > 0) await Task.Yield();
        var next = Post(server, Ask("random", "\"max_tokens\": 4"));
        while (!next.IsCompleted) model.Batcher.Step();
        (await next).Status.ShouldBe(HttpStatusCode.OK);
    }
}
