using System.Text.Json;
using ToolSharp.Serving.Tests.Support;
using ToolSharp.Testing;

namespace ToolSharp.Serving.Tests;

/// <summary>The official <c>openai</c> npm client against the server: a completion with tools, a streamed one (raw
/// chunks and the SDK's own accumulation), and refusals surfacing as the SDK's typed errors.</summary>
/// <remarks>6.x is the newest line that runs on node 20 (7.x needs node 22).</remarks>
public class OpenAiNodeClientTests(ServedModels models) : IClassFixture<ServedModels>
{
    private const string Package = "openai@6.30.1";

    private const string Script = """
        import OpenAI from "openai";
        const [baseURL] = process.argv.slice(2);
        const client = new OpenAI({ baseURL, apiKey: "unused", maxRetries: 0 });
        const tools = [{ type: "function", function: { name: "calculator", description: "Evaluate an arithmetic expression.",
          parameters: { type: "object", properties: { expression: { type: "string" } }, required: ["expression"] } } }];
        const messages = [{ role: "user", content: "What is 3+4?" }];
        const out = {};
        out.models = (await client.models.list()).data.map(m => m.id);
        out.completion = await client.chat.completions.create({ model: "warmed", messages, tools, temperature: 0 });
        const stream = await client.chat.completions.create({ model: "warmed", messages, tools, temperature: 0, stream: true, stream_options: { include_usage: true } });
        out.chunks = [];
        for await (const chunk of stream) out.chunks.push(chunk);
        const helper = client.chat.completions.stream ?? client.beta.chat.completions.stream;
        out.accumulated = await helper.call(client.chat.completions, { model: "warmed", messages, tools, temperature: 0 }).finalChatCompletion();
        const refusal = async body => {
          try { await client.chat.completions.create(body); return { status: "none" }; }
          catch (e) { return { kind: e.constructor.name, status: e.status, param: e.param ?? e.error?.param, code: e.code ?? e.error?.code, message: e.message }; }
        };
        out.unknownModel = await refusal({ model: "gpt-4o", messages });
        out.badTool = await refusal({ model: "warmed", messages, tools: [{ type: "function", function: { name: "f", parameters: { type: "object", properties: { x: { type: "dict" } } } } }] });
        console.log(JSON.stringify(out));
        """;

    [NpmFact(Package)]
    public void The_official_client_reads_completions_streams_and_errors()
    {
        var folder = NpmPackages.Folder(Package)!;
        var script = Path.Combine(folder, $"serve-{Guid.NewGuid():N}.mjs");
        File.WriteAllText(script, Script);
        try
        {
            var (code, output) = NpmPackages.Run("node", [script, models.WarmedServer.BaseAddress.AbsoluteUri.TrimEnd('/')], folder, TimeSpan.FromMinutes(2));
            code.ShouldBe(0, output);
            var result = JsonDocument.Parse(output).RootElement;
            result.GetProperty("models").EnumerateArray().Select(m => m.GetString()).ShouldBe(["warmed"]);

            var completion = result.GetProperty("completion").GetProperty("choices")[0];
            completion.GetProperty("finish_reason").GetString().ShouldBe("tool_calls");
            var call = completion.GetProperty("message").GetProperty("tool_calls")[0].GetProperty("function");
            call.GetProperty("name").GetString().ShouldBe("calculator");
            var arguments = call.GetProperty("arguments").GetString();
            JsonDocument.Parse(arguments!).RootElement.ValueKind.ShouldBe(JsonValueKind.Object);

            var chunks = result.GetProperty("chunks").EnumerateArray().ToList();
            chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32()
                .ShouldBe(result.GetProperty("completion").GetProperty("usage").GetProperty("completion_tokens").GetInt32());
            var streamedCall = chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray())
                .Where(c => c.GetProperty("delta").TryGetProperty("tool_calls", out _)).Single()
                .GetProperty("delta").GetProperty("tool_calls")[0];
            streamedCall.GetProperty("function").GetProperty("arguments").GetString().ShouldBe(arguments);

            // The SDK's own stream accumulation rebuilds the same message.
            var accumulated = result.GetProperty("accumulated").GetProperty("choices")[0];
            accumulated.GetProperty("finish_reason").GetString().ShouldBe("tool_calls");
            var rebuilt = accumulated.GetProperty("message").GetProperty("tool_calls")[0].GetProperty("function");
            rebuilt.GetProperty("name").GetString().ShouldBe("calculator");
            rebuilt.GetProperty("arguments").GetString().ShouldBe(arguments);

            var unknown = result.GetProperty("unknownModel");
            unknown.GetProperty("kind").GetString().ShouldBe("BadRequestError");
            unknown.GetProperty("status").GetInt32().ShouldBe(400);
            unknown.GetProperty("param").GetString().ShouldBe("model");
            unknown.GetProperty("code").GetString().ShouldBe("model_not_found");
            var badTool = result.GetProperty("badTool");
            badTool.GetProperty("status").GetInt32().ShouldBe(400);
            badTool.GetProperty("param").GetString().ShouldBe("tools[0].function.parameters.properties.x.type");
            badTool.GetProperty("message").GetString()!.ShouldContain("dict");
        }
        finally
        {
            File.Delete(script);
        }
    }
}
