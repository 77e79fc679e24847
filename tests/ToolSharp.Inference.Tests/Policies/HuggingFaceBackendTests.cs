using ToolSharp.Core.Errors;
using ToolSharp.Core.Formats;
using ToolSharp.Core.History;
using ToolSharp.Environments.Catalog;
using ToolSharp.Environments.Episodes;
using ToolSharp.Evaluation.Agent;
using ToolSharp.Inference.Policies;
using ToolSharp.Inference.Rendering;
using ToolSharp.Inference.Rollouts;
using ToolSharp.Testing;

namespace ToolSharp.Inference.Tests.Policies;

/// <summary><c>builtin:DIR</c> on Hugging Face folders: randomly initialised Qwen3-shaped models (hidden 64, two layers,
/// the full 151,936-row embedding) with the real Qwen3 tokenizer and its template, or Qwen2.5's template on the same
/// tokenizer, in every multi-turn construction, history policy and prompt mode.</summary>
[Collection("EngineThreads")]
public sealed class HuggingFaceBackendTests : IClassFixture<HuggingFaceBackendTests.Models>
{
    private static readonly IEnvironment Arith = EnvironmentCatalog.Create("arith:levels=1");

    public sealed class Models : IDisposable
    {
        private readonly TempDirectory _dir = new();

        public Models()
        {
            if (SharedData.MissingReason(HuggingFaceFolders.Qwen3Tokenizer) is not null) return;
            Qwen3 = HuggingFaceFolders.Qwen3(Path.Combine(_dir.Path, "qwen3-micro"), seed: 5);
            Qwen25Template = HuggingFaceFolders.Qwen3(Path.Combine(_dir.Path, "qwen3-micro-qwen25-template"), HuggingFaceFolders.Qwen25Template, seed: 5);
        }

        /// <summary>The real Qwen3 template (its own tokenizer_config.json).</summary>
        public string Qwen3 { get; } = "";

        /// <summary>Qwen2.5's template (chat_template.jinja) on the Qwen3 tokenizer: the same ChatML and Hermes calls, no thinking.</summary>
        public string Qwen25Template { get; } = "";

        public void Dispose() => _dir.Dispose();
    }

    private readonly Models _models;

    public HuggingFaceBackendTests(Models models) => _models = models;

    private static AgentSettings Small(ConversationView? view = null, ToolCallFormat? format = null) => new()
    {
        Instructions = "",
        View = view ?? ConversationView.Default,
        Format = format,
        Sampling = new SamplingParameters(1.0, 1.0, null, 6),
        Limits = new EpisodeLimits(2, 4),
    };

    private static async Task<List<EpisodeRecord>> Run(BuiltinModelBackend backend, AgentSettings settings, int tasks = 2)
    {
        var records = new List<EpisodeRecord>();
        var jobs = Enumerable.Range(0, tasks).Select(i => new EpisodeJob(Arith.GetTask("test", i), i)).ToList();
        await backend.RunAsync(Arith, jobs, settings, (_, r) => { records.Add(r); return Task.CompletedTask; });
        return records;
    }

    [RequiresDataFact(HuggingFaceFolders.Qwen3Tokenizer)]
    public async Task A_scripted_episode_on_a_template_is_token_in_token_out_and_equals_the_full_render()
    {
        var renderer = (ChatTemplateRolloutRenderer)BuiltinModelBackend.Load(_models.Qwen25Template).Renderer;
        var task = Arith.GetTask("test", 3);
        var session = new ScriptedSession(text => text.EndsWith("</tool_response><|im_end|>\n<|im_start|>assistant\n", StringComparison.Ordinal)
            ? "Answer: " + task.ExpectedAnswer
            : "<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"" + task.ExpectedAnswer + "\"}}\n</tool_call>", renderer.Tokenizer, renderer.EndOfTurn);
        var worker = new RolloutWorker(_ => session, renderer, Arith, new RolloutSettings { Instructions = "", MaxNewTokensPerTurn = 64, MaxTotalTokens = 2048 });
        var rollout = worker.Run([new RolloutRequest(task, 1, 0)])[0][0];

        rollout.Correct.ShouldBeTrue(rollout.Score.Details);
        rollout.TokenLevel.ShouldBeTrue();
        var transcript = rollout.Driver.Transcript;
        var full = renderer.Tokenizer.Encode(renderer.Template.Render(transcript));
        renderer.Decode([full[^1]]).ShouldBe("\n", "the template ends the last turn with a newline the model does not generate");
        rollout.Tokens.ShouldBe(full.Take(full.Count - 1), "what the model saw and wrote, turn by turn, is the template's full render");
        var demo = renderer.Demonstration(transcript);
        rollout.LossMask.ShouldBe(demo.LossMask.Take(rollout.LossMask.Length), "rollouts train on exactly the demonstration's assistant tokens");
        await Task.CompletedTask;
    }

    [RequiresDataFact(HuggingFaceFolders.Qwen3Tokenizer)]
    public async Task The_qwen3_template_is_refused_in_the_native_construction_until_its_drift_is_accepted()
    {
        var refused = await Should.ThrowAsync<ToolSharpException>(() => Run(BuiltinModelBackend.Load(_models.Qwen3), Small()));
        refused.Message.ShouldContain("tokenizer_config.json#chat_template: turn-by-turn rollout tokens differ from the full render: message 2 (tool)");
        refused.Message.ShouldContain("found 151667 \"<think>\" (turn by turn)");
        refused.Message.ShouldContain($"builtin:{_models.Qwen3}#accept_drift=true");
        refused.Message.ShouldNotContain("\n");

        var records = await Run(BuiltinModelBackend.Load(_models.Qwen3, new ChatTemplateOptions(AcceptDrift: true)), Small());
        records.Count.ShouldBe(2);
        var prompt = ((ChatTemplateRolloutRenderer)BuiltinModelBackend.Load(_models.Qwen3, new ChatTemplateOptions(AcceptDrift: true)).Renderer)
            .Prompt(EpisodeDriver.Start(Arith, Arith.GetTask("test", 0), instructions: "").Transcript);
        records[0].Steps[0].PromptTokens.ShouldBe(prompt.Length);
        records.ShouldAllBe(r => r.Steps.All(s => s.CompletionTokens >= 1 && s.CompletionTokens <= 6));
        records.ShouldAllBe(r => !r.Correct, "a random model writes noise: scored, not thrown");
    }

    [RequiresDataTheory(HuggingFaceFolders.Qwen3Tokenizer)]
    [InlineData("keep", "packed", null)]
    [InlineData("window:2", "native", null)]
    [InlineData("drop-reasoning+truncate:40", "packed", null)]
    [InlineData("keep", "native", "json")]
    public async Task Every_view_and_prompt_mode_runs_on_the_qwen3_template_rendering_the_prompt_each_turn(string history, string construction, string? format)
    {
        var view = new ConversationView(HistoryPolicies.Parse(history), MultiTurnConstructions.Parse(construction), ToolCallFormats.Hermes);
        var backend = BuiltinModelBackend.Load(_models.Qwen3);
        var records = await Run(backend, Small(view, format is null ? null : ToolCallFormats.Get(format)));
        records.Count.ShouldBe(2);
        records.ShouldAllBe(r => r.Steps.Count >= 1 && r.CompletionTokens > 0 && !r.TokensEstimated);
    }

    [RequiresDataFact(HuggingFaceFolders.Qwen3Tokenizer)]
    public async Task The_qwen25_template_runs_natively_without_drift()
    {
        var backend = BuiltinModelBackend.Load(_models.Qwen25Template);
        var records = await Run(backend, Small());
        records.Count.ShouldBe(2);
        backend.Identity.TemplateHash.ShouldNotBe(BuiltinModelBackend.Load(_models.Qwen3, new ChatTemplateOptions(AcceptDrift: true)).Identity.TemplateHash);
    }
}
