using ToolSharp.Core.WireFormats;
using System.Text.RegularExpressions;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Environments.Catalog;
using ToolSharp.Environments.Episodes;
using ToolSharp.Evaluation.Agent;
using ToolSharp.Evaluation.Store;
using ToolSharp.Evaluation.Sweeps;
using ToolSharp.Inference.Policies;
using ToolSharp.Inference.Rendering;
using ToolSharp.Models;
using ToolSharp.Models.Configuration;
using ToolSharp.Models.Generation;
using ToolSharp.Testing;
using ToolSharp.Text.Builtin;
using ToolSharp.Training.Grpo;
using ToolSharp.Training.Pipeline;

namespace ToolSharp.Training.Tests.Grpo;

/// <summary>One set of episode rules: the same scripted model outputs give the same transcripts, endings and scores
/// through RL validation, through <c>toolsharp eval</c>'s path for built-in models (sweep runner → built-in backend),
/// and through the turn-at-a-time agent loop that endpoints use.</summary>
public class OneWayThroughTests
{
    private const string EnvSpec = "arith-memory:turns=1-3";
    private const int Tasks = 16;
    private static readonly IEnvironment Env = EnvironmentCatalog.Create(EnvSpec);
    private static readonly BuiltinChatFormat Format = BuiltinChatFormat.Instance;

    /// <summary>What the "model" writes next, given the text so far. Tasks differ by index so every rule is exercised:
    /// solving as the demonstration does; an unreadable call first, then the solution; calling the calculator for ever,
    /// once a turn (the turn limit ends it) or three times (the tool budget ends it); a turn too long for the token limit; a wrong answer.</summary>
    private static string Script(string text)
    {
        var user = Regex.Matches(text, Regex.Escape(BuiltinTokenizer.UserRole) + "(.*?)" + Regex.Escape(BuiltinTokenizer.End)).Select(m => m.Groups[1].Value).ToList();
        var task = Enumerable.Range(0, Tasks).Select(i => Env.GetTask("test", i)).Single(t => t.UserTurns[0] == user[0]);
        var turn = Regex.Matches(text, Regex.Escape(BuiltinTokenizer.AssistantRole)).Count - 1;
        var demo = ((IDemonstrationSource)Env).Demonstration(task, "").Messages.Where(m => m.Role == ChatRole.Assistant).ToList();
        string Demo(int k) => k < demo.Count ? Body(demo[k]) : "Answer: 0";
        return (task.Index % 5) switch
        {
            0 => Demo(turn),
            1 => turn == 0 ? "<tool_call>{\"name\": \"calculator\", \"arguments\": {\"expression\": " : Demo(turn - 1),
            2 => string.Concat(Enumerable.Repeat("<tool_call>{\"name\": \"calculator\", \"arguments\": {\"expression\": \"1+1\"}}</tool_call>", task.Index < 5 ? 1 : 3)),
            3 => turn == 1 ? new string('9', 300) : Demo(turn),
            _ => turn == 0 ? "Answer: 1" : Demo(turn),
        };
    }

    private static string Body(Message assistant)
    {
        var text = Format.RenderText(new Conversation([assistant]));
        return text[BuiltinTokenizer.AssistantRole.Length..^BuiltinTokenizer.End.Length];
    }

    private static RlOptions Rl() => TrainConfigFile.Load(null,
        [$"environment='{EnvSpec}'", $"rl.validation_tasks={Tasks}", "rl.validation_split=test", "rl.instructions=''", "rl.prompt_filter=null",
            // a context the scripted episodes never fill: endpoints report no context limit to the agent loop
            "rl.rollout.max_total_tokens=4000", "rl.rollout.max_new_tokens_per_turn=256"]).Rl;

    private static Transformer Model() => Transformer.Create(ModelPresets.Tiny(BuiltinTokenizer.Size) with { HiddenSize = 32, NumLayers = 1, NumHeads = 1, NumKvHeads = 1, HeadDim = 32, IntermediateSize = 32 }, 1);

    [Fact]
    public async Task Rl_validation_eval_and_the_agent_loop_give_identical_episodes()
    {
        // RL validation, as the trainer runs it.
        var trainer = new GrpoTrainer(Model(), BuiltinRolloutRenderer.Instance, Env, Rl(), null, _ => new ScriptedSession(Script));
        var accuracy = trainer.Validate();
        var validation = trainer.LastValidation;
        validation.Count.ShouldBe(Tasks);

        // toolsharp eval -m builtin:RUN --system-prompt none: the sweep runner hands the built-in backend the tasks in order.
        var defaults = new GenerationDefaults(Rl().Rollout.MaxNewTokensPerTurn, Rl().Rollout.MaxTotalTokens);
        var backend = new BuiltinModelBackend(_ => new ScriptedSession(Script), 2048, BuiltinRolloutRenderer.Instance, "scripted", defaults);
        var definition = new SweepDefinition
        {
            Name = "eval",
            Models = [new ModelEntry("scripted", "builtin:scripted", 1)],
            Environments = [new EnvironmentEntry(EnvSpec, "test", Tasks)],
            Factors = new FactorLevels { SystemPrompts = [SystemPrompts.FromNameOrFile("none")] },
        };
        using var dir = new TempDirectory();
        using var store = ResultsStore.Open(dir.File("eval.db"));
        var recording = new RecordingBackend(backend);
        var progress = await new SweepRunner(SweepPlan.Create(definition), store, _ => recording).RunAsync();
        progress.Finished.ShouldBe(Tasks);
        store.EpisodeCount().ShouldBe(Tasks);
        var eval = recording.Records;

        // The turn-at-a-time loop endpoints use, with a policy that writes the same text.
        var loop = new List<EpisodeRecord>();
        for (var i = 0; i < Tasks; i++)
            loop.Add(await AgentLoop.RunAsync(Env, Env.GetTask("test", i), new ScriptedTextPolicy(defaults.MaxNewTokens), new AgentSettings { Instructions = "" }));

        var endings = new HashSet<string>();
        foreach (var rollout in validation)
        {
            var id = rollout.Task.Id;
            var fromEval = eval.Single(e => e.TaskId == id);
            var fromLoop = loop.Single(e => e.TaskId == id);
            var transcript = OpenAiChatJson.ToJson(rollout.Driver.Transcript);
            fromEval.TranscriptJson.ShouldBe(transcript, id);
            fromLoop.TranscriptJson.ShouldBe(transcript, id);
            fromEval.Ending.ShouldBe(rollout.Ending.WireName(), id);
            fromLoop.Ending.ShouldBe(rollout.Ending.WireName(), id);
            fromEval.Reward.ShouldBe(rollout.Score.Reward, id);
            fromLoop.Reward.ShouldBe(rollout.Score.Reward, id);
            fromEval.MalformedCalls.ShouldBe(rollout.Driver.MalformedCalls, id);
            fromLoop.MalformedCalls.ShouldBe(rollout.Driver.MalformedCalls, id);
            fromEval.Turns.ShouldBe(rollout.Driver.Turns, id);
            endings.Add(fromEval.Ending);
        }
        eval.Count(e => e.Correct).ShouldBe((int)Math.Round(accuracy * Tasks));
        endings.ShouldBe(["answer", "max_turns", "tool_budget", "max_tokens"], ignoreOrder: true, "the script exercises these endings");
        validation.Count(r => r.Driver.MalformedCalls > 0).ShouldBeGreaterThan(0);
        accuracy.ShouldBeInRange(0.1, 0.9);
    }

    /// <summary>Passes episodes to the real backend and keeps the records it reports to the sweep runner.</summary>
    private sealed class RecordingBackend(IEpisodeBackend inner) : IEpisodeBackend
    {
        public List<EpisodeRecord> Records { get; } = [];

        public PolicyIdentity Identity => inner.Identity;

        public Task RunAsync(IEnvironment environment, IReadOnlyList<EpisodeJob> jobs, AgentSettings settings, Func<EpisodeJob, EpisodeRecord, Task> finished, CancellationToken cancellationToken = default) =>
            inner.RunAsync(environment, jobs, settings, (job, record) =>
            {
                Records.Add(record);
                return finished(job, record);
            }, cancellationToken);
    }

    /// <summary><see cref="Script"/> as a turn-at-a-time policy: it renders the conversation it is shown in the built-in
    /// format, writes the script's text (cut at the token limit, as a server would) and parses it with the same format.</summary>
    private sealed class ScriptedTextPolicy(int maxTokens) : IPolicy
    {
        public PolicyIdentity Identity { get; } = new("scripted", "script");

        public Task<PolicyTurn> NextAsync(PolicyRequest request, CancellationToken cancellationToken = default)
        {
            var text = Script(Format.RenderText(request.Conversation, addGenerationPrompt: true));
            var ids = Format.Tokenizer.Encode(text).Append(Format.EndOfTurn).ToList();
            var cut = ids.Count > maxTokens;
            if (cut) ids = ids.Take(maxTokens).ToList();
            var parsed = Format.Parse(ids, request.Conversation.Tools);
            return Task.FromResult(new PolicyTurn
            {
                Message = parsed.ToAssistantMessage(),
                ParseErrors = parsed.UnreadableCalls,
                RawText = Format.Tokenizer.Decode(ids.Where(t => t != Format.EndOfTurn).ToList()),
                FinishReason = cut ? "length" : "stop",
            });
        }
    }
}
