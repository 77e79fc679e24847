using System.CommandLine;
using System.Globalization;
using ToolSharp.Cli.Infrastructure;
using ToolSharp.Core.Errors;
using ToolSharp.Evaluation.Sweeps;
using ToolSharp.Inference.Policies;

namespace ToolSharp.Cli.Commands;

/// <summary><c>toolsharp eval</c>: one model on one environment under one configuration (several seeds allowed), into a resumable results database.</summary>
public static class EvalCommand
{
    public static Command Create(CliContext ctx)
    {
        var model = new Option<string>("--model", "-m") { Description = "openai:BASE_URL[,BASE_URL…]#MODEL or builtin:CHECKPOINT_DIR; a Hugging Face folder's chat template takes options builtin:DIR#format=NAME,thinking=true,accept_drift=true.", Required = true };
        var env = new Option<string>("--env", "-e") { Description = "Environment spec, e.g. arith, 'arith:levels=1-2', bfcl.", Required = true };
        var split = new Option<string>("--split") { Description = "Split to take tasks from (BFCL: a category such as simple_python).", DefaultValueFactory = _ => "test" };
        var tasks = new Option<int>("--tasks", "-n") { Description = "Number of tasks (the first ones of the split).", DefaultValueFactory = _ => 20 };
        var seeds = new Option<string>("--seeds") { Description = "Comma-separated sampling seeds; each task runs once per seed.", DefaultValueFactory = _ => "0" };
        var prompt = new Option<string>("--system-prompt") { Description = $"Built-in system prompt ({SystemPrompts.Names}) or a text file.", DefaultValueFactory = _ => "default" };
        var template = new Option<string>("--template") { Description = "Multi-turn construction: native or packed (default: native, or the construction a builtin:RUN trained with).", DefaultValueFactory = _ => "native" };
        var history = new Option<string>("--history") { Description = "History policy: keep, drop-reasoning, window:K, truncate:N (joined with +) (default: keep, or the policy a builtin:RUN trained with).", DefaultValueFactory = _ => "keep" };
        var format = new Option<string>("--format") { Description = "native (the endpoint's tool API) or a prompt-mode format: hermes, qwen3-coder, llama3, mistral, pythonic, json.", DefaultValueFactory = _ => "native" };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature.", DefaultValueFactory = _ => 0.0 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling mass.", DefaultValueFactory = _ => 1.0 };
        var maxTurns = new Option<int?>("--max-turns") { Description = "Assistant turns per episode (default: the environment's limit for the task, 8 for most)." };
        var maxTokens = new Option<int?>("--max-tokens") { Description = $"Tokens per assistant turn (default: {SweepDefinition.EndpointMaxTokens} for endpoints; a built-in checkpoint's generation_config.json, which training writes)." };
        var maxToolCalls = new Option<int?>("--max-tool-calls") { Description = "Tool calls per episode (default: the environment's limit for the task, 16 for most)." };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight at once.", DefaultValueFactory = _ => 8 };
        var attempts = new Option<int>("--max-attempts") { Description = "Requests per model turn before an episode is left for a resume (retries back off exponentially with jitter on 429, 5xx, timeouts and dropped connections).", DefaultValueFactory = _ => 6 };
        var apiKeyEnv = new Option<string?>("--api-key-env") { Description = "Environment variable holding the API key (default OPENAI_API_KEY; none sent when unset)." };
        var output = new Option<string>("--out", "-o") { Description = "Results database (.db) or a directory (gets results.db and manifest.json). Rerunning resumes.", Required = true };
        var command = new Command("eval", Help.WithExamples(
            "Evaluate a model on an environment. Every episode is stored as it finishes; rerunning the same command resumes. " +
            "Prints a summary table; 'toolsharp report' gives statistics and plots.",
            "toolsharp eval --model openai:http://localhost:8000/v1#Qwen/Qwen3-8B --env arith --tasks 50 --seeds 1,2,3 --out results.db",
            "toolsharp eval -m openai:http://gpu1:8000/v1,http://gpu2:8000/v1#qwen3 -e bfcl --split simple_python --format hermes --out runs/bfcl",
            "toolsharp eval -m builtin:checkpoints/tiny -e 'arith:levels=1' -n 20 --history drop-reasoning --template packed --out tiny.db"))
        {
            model, env, split, tasks, seeds, prompt, template, history, format, temperature, topP, maxTurns, maxToolCalls, maxTokens, concurrency, apiKeyEnv, attempts, output,
        };
        command.SetAction(async (parse, ct) =>
        {
            var seedList = parse.GetValue(seeds)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s =>
                int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : throw new UsageException($"--seeds: expected whole numbers separated by commas, found '{s}'")).ToList();
            if (seedList.Count == 0) throw new UsageException("--seeds: expected at least one seed");
            var n = parse.GetValue(tasks);
            if (n < 1) throw new UsageException($"--tasks: expected at least 1, found {n}");
            var spec = parse.GetValue(model)!;
            Evaluation.Policies.ModelSpec parsedSpec;
            try { parsedSpec = Evaluation.Policies.ModelSpec.Parse(spec); }
            catch (ToolSharpException ex) { throw new UsageException("--model: " + ex.Message); }
            // A run trained on another view records it in its generation_config.json: evaluate it as it was trained and validated.
            var trained = parsedSpec is { Kind: "builtin", CheckpointPath: { } checkpoint } && Directory.Exists(checkpoint) ? GenerationDefaults.Read(checkpoint) : null;
            string Level(Option<string> option, string? fromRun, string name)
            {
                if (parse.GetResult(option) is { Implicit: false } || fromRun is null) return parse.GetValue(option)!;
                ctx.Err.WriteLine($"{name} {fromRun}: the view {spec} was trained with (its {GenerationDefaults.FileName})");
                return fromRun;
            }
            var templateLevel = Level(template, trained?.Construction, "--template");
            var historyLevel = Level(history, trained?.History, "--history");
            var definition = new SweepDefinition
            {
                Name = "eval",
                Models = [new ModelEntry(SweepFile.DefaultLabel(spec), spec, parse.GetValue(concurrency))],
                Environments = [new EnvironmentEntry(parse.GetValue(env)!, parse.GetValue(split)!, n)],
                Factors = new FactorLevels
                {
                    Seeds = seedList,
                    SystemPrompts = [SystemPrompts.FromNameOrFile(parse.GetValue(prompt)!)],
                    Templates = [templateLevel],
                    History = [historyLevel],
                    Formats = [parse.GetValue(format)!],
                    Temperatures = [parse.GetValue(temperature)],
                    TopP = [parse.GetValue(topP)],
                },
                MaxTurns = parse.GetValue(maxTurns),
                MaxToolCalls = parse.GetValue(maxToolCalls),
                MaxTokens = parse.GetValue(maxTokens),
            };
            SweepPlan plan;
            try { plan = SweepPlan.Create(definition); }
            catch (FactorLevelException ex)
            {
                // Each factor has one option here; name it rather than the sweep-file path of its level.
                throw new UsageException($"--{(ex.Factor?.Name ?? "seeds").Replace('_', '-')}: expected {ex.Expected}, found {ex.Found}");
            }
            return await SweepExecution.RunAsync(ctx, plan, parse.GetValue(output)!, SweepExecution.ApiKey(parse.GetValue(apiKeyEnv)), ct, SweepExecution.Retry(parse.GetValue(attempts)));
        });
        return command;
    }
}
