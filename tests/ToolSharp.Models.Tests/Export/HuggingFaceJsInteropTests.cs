using System.Text.Json;
using System.Text.Json.Nodes;
using ToolSharp.Models.Configuration;
using ToolSharp.Models.Export;
using ToolSharp.Testing;
using ToolSharp.Text.Builtin;
using ToolSharp.Text.Templates;

namespace ToolSharp.Models.Tests.Export;

/// <summary>The exported files read by Hugging Face's own JavaScript libraries: tokenizers.js, jinja and the gguf parser.</summary>
public class HuggingFaceJsInteropTests
{
    private const string Tokenizers = "@huggingface/tokenizers@0.2.0";
    private const string Jinja = "@huggingface/jinja@0.5.11";
    private const string Gguf = "@huggingface/gguf@0.4.6";

    private const string Script = """
        import { readFileSync } from "node:fs";
        import { Tokenizer } from "@huggingface/tokenizers";
        import { Template } from "@huggingface/jinja";
        import { gguf } from "@huggingface/gguf";
        const input = JSON.parse(readFileSync(process.argv[2], "utf8"));
        const tokenizerJson = JSON.parse(readFileSync(input.dir + "/tokenizer.json", "utf8"));
        const tokenizerConfig = JSON.parse(readFileSync(input.dir + "/tokenizer_config.json", "utf8"));
        const tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
        const template = new Template(tokenizerConfig.chat_template);
        const out = { encoded: [], decoded: [], rendered: [] };
        for (const text of input.texts) {
          const ids = tokenizer.encode(text, { add_special_tokens: false }).ids;
          out.encoded.push(ids);
          out.decoded.push(ids.length === 0 ? "" : tokenizer.decode(ids, { skip_special_tokens: false }));
        }
        for (const c of input.conversations) {
          out.rendered.push(template.render({ messages: c.messages, tools: c.tools ?? null, add_generation_prompt: c.add_generation_prompt,
            bos_token: tokenizerConfig.bos_token, eos_token: tokenizerConfig.eos_token }));
        }
        const parsed = await gguf(input.gguf, { allowLocalFile: true });
        out.gguf = {
          architecture: parsed.metadata["general.architecture"],
          tokens: parsed.metadata["tokenizer.ggml.tokens"],
          template: parsed.metadata["tokenizer.chat_template"],
          tensors: parsed.tensorInfos.map(t => ({ name: t.name, shape: t.shape.map(Number), dtype: t.dtype })),
        };
        console.log(JSON.stringify(out));
        """;

    [NpmFact(Tokenizers, Jinja, Gguf)]
    public void Tokenizer_template_and_gguf_read_the_same_in_huggingface_js()
    {
        var folder = NpmPackages.Folder(Tokenizers, Jinja, Gguf)!;
        using var dir = new TempDirectory();
        var model = Transformer.Create(HuggingFaceExportTests.Builtin(Architecture.Qwen3), 8);
        var source = ExportSource.FromModel(model, "micro");
        HuggingFaceExport.Write(source, dir.File("hf"));
        GgufExport.Write(source, dir.File("m.gguf"), ExportDType.F16);

        var conversations = SampleConversations.All(randomCount: 40);
        var texts = conversations.Select(c => BuiltinChatFormat.Instance.RenderText(c, true))
            .Concat(["", "  two  spaces ", "tabs\tand\r\nlines", "日本語 😀 naïve ß", "<|user|x> <tool_callx> </tool_call", "\u0001\u007f\u00ff", "<|reserved_3|><|pad|><|bos|>"]).ToList();
        var input = new JsonObject
        {
            ["dir"] = dir.File("hf"),
            ["gguf"] = dir.File("m.gguf"),
            ["texts"] = new JsonArray(texts.Select(t => (JsonNode)t!).ToArray()),
            ["conversations"] = new JsonArray(conversations.SelectMany(c => new[] { false, true }.Select(p =>
            {
                var o = JsonNode.Parse(ChatTemplate.ToTemplateJson(c).GetRawText())!.AsObject();
                o["add_generation_prompt"] = p;
                return (JsonNode)o;
            })).ToArray()),
        };
        File.WriteAllText(dir.File("input.json"), input.ToJsonString());
        var script = Path.Combine(folder, $"check-{Guid.NewGuid():N}.mjs");
        File.WriteAllText(script, Script);
        try
        {
            var (code, output) = NpmPackages.Run("node", [script, dir.File("input.json")], folder, TimeSpan.FromMinutes(2));
            code.ShouldBe(0, output);
            using var result = JsonDocument.Parse(output);
            var r = result.RootElement;
            for (var i = 0; i < texts.Count; i++)
            {
                r.GetProperty("encoded")[i].EnumerateArray().Select(e => e.GetInt32()).ShouldBe(BuiltinTokenizer.Instance.Encode(texts[i]), texts[i]);
                r.GetProperty("decoded")[i].GetString().ShouldBe(texts[i]);
            }
            var k = 0;
            foreach (var c in conversations)
                foreach (var p in new[] { false, true })
                    r.GetProperty("rendered")[k++].GetString().ShouldBe(BuiltinChatFormat.Instance.RenderText(c, p));

            var g = r.GetProperty("gguf");
            g.GetProperty("architecture").GetString().ShouldBe("qwen3");
            g.GetProperty("template").GetString().ShouldBe(BuiltinChatTemplate.Text);
            g.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()).ShouldBe(Enumerable.Range(0, 288).Select(i => BuiltinTokenizer.Instance.IdToToken(i)));
            var tensors = g.GetProperty("tensors").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t);
            foreach (var (name, tensor) in model.NamedParameters())
            {
                var info = tensors[GgufExport.TensorName(name)];
                info.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ShouldBe(tensor.Shape.Reverse().Select(d => (long)d), name);
                info.GetProperty("dtype").GetInt32().ShouldBe(tensor.Shape.Length == 1 ? 0 : 1, name);
            }
        }
        finally
        {
            File.Delete(script);
        }
    }
}
