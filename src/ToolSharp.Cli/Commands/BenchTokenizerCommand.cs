using ToolSharp.Text;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Core.Data;
using ToolSharp.Core.Errors;
using ToolSharp.Text.Tokenization;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp bench tokenizer</c>: encoding speed on GSM8K text, single thread, next to a reference JS tokenizer run on the same texts.</summary>
public static class BenchTokenizerCommand
{
    public static Command Create(CliContext ctx)
    {
        var tokenizer = new Option<string?>("--tokenizer") { Description = "tokenizer.json to measure (default: tokenizers/qwen3/tokenizer.json in the shared data)." };
        var passes = new Option<int>("--passes") { Description = "Timed passes over the texts after the first (cold) pass.", DefaultValueFactory = _ => 3 };
        var nodeModules = new Option<string?>("--reference-node-modules") { Description = "A node_modules folder holding @huggingface/transformers, for the reference measurement (default: $TOOLSHARP_NODE_MODULES). Skipped when node or the package is missing." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };

        var command = new Command("tokenizer", Help.WithExamples(
            "Tokens per second encoding GSM8K (train + test questions and answers) on one thread: a cold first pass (empty word cache) " +
            "and warm passes, then the same texts through @huggingface/transformers in node when available, with the ratio.",
            "toolsharp bench tokenizer",
            "toolsharp bench tokenizer --passes 5 --reference-node-modules /tmp/ref/node_modules --json"))
        {
            tokenizer, passes, nodeModules, json,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(tokenizer) ?? ToolSharpData.RequireFile("tokenizers", "qwen3", "tokenizer.json");
            var texts = LoadGsm8k();
            var chars = texts.Sum(t => (long)t.Length);
            var nonAscii = texts.Sum(t => (long)t.Count(c => c > 127));

            var loadWatch = Stopwatch.StartNew();
            var tok = Tokenizers.Load(path);
            var loadSeconds = loadWatch.Elapsed.TotalSeconds;
            var ids = new List<int>(4096);
            long Pass()
            {
                long n = 0;
                foreach (var t in texts)
                {
                    ids.Clear();
                    if (tok is BpeTokenizer bpe) bpe.EncodeTo(t, ids);
                    else ids.AddRange(tok.Encode(t));
                    n += ids.Count;
                }
                return n;
            }
            var cold = Stopwatch.StartNew();
            var tokens = Pass();
            var coldSeconds = cold.Elapsed.TotalSeconds;
            var n = Math.Max(1, parse.GetValue(passes));
            var warm = Stopwatch.StartNew();
            for (var p = 0; p < n; p++) Pass();
            var warmSeconds = warm.Elapsed.TotalSeconds / n;

            var reference = MeasureReference(ctx, path, texts, parse.GetValue(nodeModules) ?? Environment.GetEnvironmentVariable("TOOLSHARP_NODE_MODULES"), n);
            var ours = tokens / warmSeconds;
            if (parse.GetValue(json))
            {
                var o = new Dictionary<string, object?>
                {
                    ["tokenizer"] = path, ["texts"] = texts.Count, ["chars"] = chars, ["non_ascii_chars"] = nonAscii, ["tokens"] = tokens,
                    ["load_seconds"] = Math.Round(loadSeconds, 3), ["cold_tokens_per_second"] = Math.Round(tokens / coldSeconds),
                    ["tokens_per_second"] = Math.Round(ours),
                    ["reference"] = reference?.Name, ["reference_tokens_per_second"] = reference is null ? null : Math.Round(reference.TokensPerSecond),
                    ["reference_tokens_match"] = reference?.Tokens == tokens,
                    ["ratio"] = reference is null ? null : Math.Round(ours / reference.TokensPerSecond, 2),
                };
                ctx.Out.WriteLine(JsonSerializer.Serialize(o));
                return ExitCodes.Ok;
            }
            var inv = CultureInfo.InvariantCulture;
            ctx.Out.WriteLine(string.Format(inv, "GSM8K train+test: {0:N0} texts, {1:N0} chars ({2:N0} non-ASCII), {3:N0} tokens", texts.Count, chars, nonAscii, tokens));
            ctx.Out.WriteLine(string.Format(inv, "toolsharp   load {0:F2} s, cold pass {1:F2} M tokens/s, warm {2:F2} M tokens/s (1 thread, mean of {3} passes)", loadSeconds, tokens / coldSeconds / 1e6, ours / 1e6, n));
            if (reference is null) ctx.Out.WriteLine("reference   not measured (needs node and @huggingface/transformers: --reference-node-modules DIR)");
            else
            {
                ctx.Out.WriteLine(string.Format(inv, "reference   {0}: {1:F2} M tokens/s{2}", reference.Name, reference.TokensPerSecond / 1e6, reference.Tokens == tokens ? ", same token count" : $", token count differs ({reference.Tokens:N0})"));
                ctx.Out.WriteLine(string.Format(inv, "ratio       {0:F1}x", ours / reference.TokensPerSecond));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static List<string> LoadGsm8k()
    {
        var texts = new List<string>();
        foreach (var split in new[] { "train", "test" })
        {
            var file = ToolSharpData.RequireFile("datasets", "gsm8k", split + ".jsonl");
            foreach (var line in File.ReadLines(file))
            {
                if (string.IsNullOrWhiteSpace(line)) continue;
                using var doc = JsonDocument.Parse(line);
                texts.Add(doc.RootElement.GetProperty("question").GetString()!);
                texts.Add(doc.RootElement.GetProperty("answer").GetString()!);
            }
        }
        return texts;
    }

    private sealed record ReferenceResult(string Name, long Tokens, double TokensPerSecond);

    // Same protocol as ours: one untimed pass (JIT and caches warm), then the mean of the timed passes.
    private const string ReferenceScript = """
        import { createRequire } from "node:module";
        import fs from "node:fs";
        import path from "node:path";
        const [modules, tokenizerDir, textsFile, passes] = process.argv.slice(2);
        const require = createRequire(path.join(modules, "x.js"));
        const { AutoTokenizer, env } = require("@huggingface/transformers");
        const version = JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve("@huggingface/transformers")), "..", "package.json"), "utf8")).version;
        env.allowRemoteModels = false;
        env.localModelPath = path.dirname(tokenizerDir);
        const tok = await AutoTokenizer.from_pretrained(path.basename(tokenizerDir));
        const texts = JSON.parse(fs.readFileSync(textsFile, "utf8"));
        const pass = () => { let n = 0; for (const t of texts) n += tok.encode(t, { add_special_tokens: false }).length; return n; };
        const tokens = pass();
        const t0 = process.hrtime.bigint();
        for (let p = 0; p < Number(passes); p++) pass();
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9 / Number(passes);
        console.log(JSON.stringify({ name: `@huggingface/transformers ${version} (node ${process.version})`, tokens, seconds }));
        """;

    private static ReferenceResult? MeasureReference(CliContext ctx, string tokenizerPath, List<string> texts, string? nodeModules, int passes)
    {
        if (nodeModules is null || !Directory.Exists(Path.Combine(nodeModules, "@huggingface", "transformers"))) return null;
        var dir = Directory.CreateTempSubdirectory("toolsharp-bench-");
        try
        {
            // AutoTokenizer loads a folder; give it one holding only the tokenizer.json under test.
            var tokDir = Directory.CreateDirectory(Path.Combine(dir.FullName, "tok"));
            File.Copy(tokenizerPath, Path.Combine(tokDir.FullName, "tokenizer.json"));
            var config = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tokenizerPath))!, "tokenizer_config.json");
            File.WriteAllText(Path.Combine(tokDir.FullName, "tokenizer_config.json"), File.Exists(config) ? File.ReadAllText(config) : "{}");
            var script = Path.Combine(dir.FullName, "bench.mjs");
            File.WriteAllText(script, ReferenceScript);
            var textsFile = Path.Combine(dir.FullName, "texts.json");
            File.WriteAllText(textsFile, JsonSerializer.Serialize(texts));
            ctx.Err.WriteLine("measuring the reference tokenizer in node …");
            var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { script, Path.GetFullPath(nodeModules), tokDir.FullName, textsFile, passes.ToString(CultureInfo.InvariantCulture) }) psi.ArgumentList.Add(a);
            using var process = Process.Start(psi) ?? throw new ToolSharpException("could not start node");
            var stdout = process.StandardOutput.ReadToEnd();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                ctx.Err.WriteLine($"reference failed (node exit {process.ExitCode}): {stderr.Split('\n').FirstOrDefault(l => l.Contains("Error", StringComparison.Ordinal)) ?? stderr.Trim()}");
                return null;
            }
            using var doc = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
            var r = doc.RootElement;
            return new ReferenceResult(r.GetProperty("name").GetString()!, r.GetProperty("tokens").GetInt64(), r.GetProperty("tokens").GetInt64() / r.GetProperty("seconds").GetDouble());
        }
        catch (System.ComponentModel.Win32Exception)
        {
            ctx.Err.WriteLine("reference skipped: node is not installed");
            return null;
        }
        finally
        {
            try { dir.Delete(recursive: true); } catch (IOException) { }
        }
    }
}
