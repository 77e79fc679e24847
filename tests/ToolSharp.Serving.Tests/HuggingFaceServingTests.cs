using System.Net;
using System.Text;
using System.Text.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Inference.Rendering;
using ToolSharp.Models;
using ToolSharp.Models.Generation;
using ToolSharp.Tensors.Kernels;
using ToolSharp.Serving.Tests.Support;
using ToolSharp.Testing;

namespace ToolSharp.Serving.Tests;

/// <summary><c>toolsharp serve</c> on a Hugging Face folder: requests are rendered with the folder's own chat template
/// and tokenizer (the renderer <c>eval -m builtin:DIR</c> uses), not the built-in chat format.</summary>
public sealed class HuggingFaceServingTests
{
    private static readonly HttpClient Http = new();

    private const string Tools = """[{"type": "function", "function": {"name": "calculator", "description": "Evaluate an arithmetic expression.", "parameters": {"type": "object", "properties": {"expression": {"type": "string"}}, "required": ["expression"]}}}]""";

    [RequiresDataFact(HuggingFaceFolders.Qwen3Tokenizer)]
    public async Task A_qwen3_folder_is_served_with_its_own_template_and_tokenizer()
    {
        EngineThreads.Set(1);
        using var dir = new TempDirectory();
        var folder = HuggingFaceFolders.Qwen3(dir.File("qwen3-micro"), HuggingFaceFolders.Qwen25Template, seed: 5);
        using var served = ServedModel.Load("builtin:" + folder);
        served.Renderer.ShouldBeOfType<ChatTemplateRolloutRenderer>();
        await using var server = await OpenAiServer.StartAsync(served, new ServerOptions(Port: 0));

        var body = $$"""{"model": "qwen3-micro", "messages": [{"role": "user", "content": "What is 3+4?"}], "tools": {{Tools}}, "temperature": 0, "max_tokens": 12}""";
        var response = await Http.PostAsync(new Uri(server.BaseAddress, "chat/completions"), new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var reply = JsonDocument.Parse(text).RootElement;

        // The same prompt through the folder's renderer, generated greedily by the engine directly.
        var model = Transformer.Load(folder);
        var renderer = RolloutRenderers.ForModel(folder, model.Config);
        var prompt = renderer.Prompt(new Conversation([Message.User("What is 3+4?")], [ServedModels.Calculator]));
        renderer.Decode(prompt).ShouldContain("<tools>");
        var session = new GenerationSession(model, SamplingOptions.Greedy);
        var segment = session.Generate([session.Start(prompt, 0)], new GenerationLimits(12, renderer.StopTokens)).Single();
        var usage = reply.GetProperty("usage");
        usage.GetProperty("prompt_tokens").GetInt32().ShouldBe(prompt.Length);
        usage.GetProperty("completion_tokens").GetInt32().ShouldBe(segment.Tokens.Length);
    }

    [RequiresDataFact(HuggingFaceFolders.Qwen3Tokenizer)]
    public void An_unknown_template_option_is_one_line_naming_it()
    {
        using var dir = new TempDirectory();
        var folder = HuggingFaceFolders.Qwen3(dir.File("qwen3-micro"), HuggingFaceFolders.Qwen25Template, weights: false);
        var error = Should.Throw<Exception>(() => ServedModel.Load($"builtin:{folder}#format=nope"));
        error.Message.ShouldContain("format");
        error.Message.ShouldContain("nope");
    }
}
