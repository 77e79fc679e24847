using System.CommandLine;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Models.Generation;
using ToolSharp.Serving;
using ToolSharp.Tensors.Kernels;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp serve --model builtin:DIR</c>: an OpenAI-compatible HTTP server for a built-in model.</summary>
public static class ServeCommand
{
    public static Command Create(CliContext ctx)
    {
        var model = new Option<string>("--model", "-m") { Description = "builtin:DIR, or a training run or checkpoint directory.", Required = true };
        var host = new Option<string>("--host") { Description = "Address to listen on (loopback by default; 0.0.0.0 exposes the server to the network).", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port", "-p") { Description = "TCP port (0 picks a free one).", DefaultValueFactory = _ => 8000 };
        var maxBatch = new Option<int>("--max-batch") { Description = "Sequences generated together; more requests wait in the queue.", DefaultValueFactory = _ => 16 };
        var maxQueue = new Option<int>("--max-queue") { Description = "Requests allowed to wait; past it the server answers 503 with Retry-After.", DefaultValueFactory = _ => 64 };
        var prefillChunk = new Option<int>("--prefill-chunk") { Description = "Prompt tokens a joining request feeds per step (0 = whole prompt in its first step).", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "Engine threads (0 = all cores).", DefaultValueFactory = _ => 0 };
        var command = new Command("serve", Help.WithExamples(
            "Serve a built-in model over OpenAI's chat completions API (/v1/models, /v1/chat/completions with tools, tool_choice, " +
            "streaming, logprobs), batching concurrent requests continuously. Prints the base URL when it listens; runs until interrupted. See docs/serving.md.",
            "toolsharp serve --model runs/arith --port 8000",
            "toolsharp eval --model openai:http://127.0.0.1:8000/v1#arith --max-tokens 96 --env arith --out served.db",
            "toolsharp serve -m builtin:runs/arith/checkpoints/step-00000040 --port 0 --max-batch 8 --max-queue 16"))
        {
            model, host, port, maxBatch, maxQueue, prefillChunk, threads,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            if (parse.GetValue(port) is < 0 or > 65535) throw new UsageException($"--port: expected 0–65535, found {parse.GetValue(port)}");
            if (parse.GetValue(maxBatch) < 1) throw new UsageException($"--max-batch: expected at least 1, found {parse.GetValue(maxBatch)}");
            if (parse.GetValue(maxQueue) < 0) throw new UsageException($"--max-queue: expected 0 or more, found {parse.GetValue(maxQueue)}");
            if (parse.GetValue(prefillChunk) < 0) throw new UsageException($"--prefill-chunk: expected 0 or more, found {parse.GetValue(prefillChunk)}");
            EngineThreads.Set(parse.GetValue(threads) is > 0 and var t ? t : Environment.ProcessorCount);
            var options = new ServerOptions(parse.GetValue(host)!, parse.GetValue(port))
            {
                Batching = new BatcherOptions(parse.GetValue(maxBatch), parse.GetValue(maxQueue), parse.GetValue(prefillChunk)),
            };
            using var served = ServedModel.Load(parse.GetValue(model)!, options.Batching);
            await using var server = await OpenAiServer.StartAsync(served, options, line => ctx.Err.WriteLine(line), cancellation);
            ctx.Err.WriteLine($"serving {served.Name} ({served.Fingerprint}) with up to {options.Batching.MaxBatch} sequences per step; Ctrl+C stops");
            // A client's own default token cap is not the checkpoint's (toolsharp eval sends 1,024): say what matches builtin:.
            ctx.Err.WriteLine($"model id '{served.Name}'; {served.Defaults.MaxNewTokens} tokens a reply unless a request sets max_tokens, {served.MaxTotalTokens} in all " +
                $"(to evaluate it as `eval -m builtin:` does: eval -m openai:URL#{served.Name} --max-tokens {served.Defaults.MaxNewTokens})");
            ctx.Out.WriteLine(server.BaseAddress.AbsoluteUri.TrimEnd('/'));
            ctx.Out.Flush();
            try
            {
                await server.WaitAsync(cancellation);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
