using ToolSharp.Core.Hashing;
using ToolSharp.Environments.Episodes;
using ToolSharp.Evaluation.Agent;
using ToolSharp.Evaluation.Policies;
using ToolSharp.Inference.Rendering;
using ToolSharp.Inference.Rollouts;
using ToolSharp.Models;
using ToolSharp.Models.Generation;

namespace ToolSharp.Inference.Policies;

/// <summary>The in-process built-in model as an evaluation backend: episodes run in batches through the same
/// <see cref="RolloutWorker"/> as RL's rollouts and validation, so a checkpoint evaluated with the settings its run
/// validated with scores exactly its validation accuracy.</summary>
/// <remarks>
/// Native mode uses the renderer's own chat format and tool rendering (what the model was trained on: the built-in
/// format, or a Hugging Face folder's chat template); before the first append-only episode on an environment, the
/// template's drift check runs on the environment's demonstration (see <see cref="TemplateDriftCheck"/>). Prompt mode
/// prepares each turn like any prompt-mode backend (tools described in the chosen format) and parses the decoded
/// text with that format. Token counts are exact; per-turn latency is the batch's generation time shared out. Batches
/// run one at a time: the CPU is the bottleneck.
/// </remarks>
public sealed class BuiltinModelBackend : IEpisodeBackend
{
    private readonly Func<SamplingOptions, IGenerationSession> _sessions;
    private readonly int _maxPositions;
    private readonly IRolloutRenderer _renderer;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _checkedDrift = [];

    public BuiltinModelBackend(Transformer model, IRolloutRenderer renderer, string name, GenerationDefaults? defaults = null, string? weightsHash = null)
        : this(sampling => new GenerationSession(model, sampling), model.Config.MaxPositionEmbeddings, renderer, name, defaults, weightsHash)
    {
    }

    /// <summary>A backend on any generator (tests script one); <paramref name="maxPositions"/> is its context length.</summary>
    public BuiltinModelBackend(Func<SamplingOptions, IGenerationSession> sessions, int maxPositions, IRolloutRenderer renderer, string name, GenerationDefaults? defaults = null, string? weightsHash = null)
    {
        _sessions = sessions;
        _maxPositions = maxPositions;
        _renderer = renderer;
        Defaults = defaults ?? new GenerationDefaults();
        var template = renderer is ChatTemplateRolloutRenderer t
            ? StableHash.Of($"{t.Template.Text}\n#format={t.CallFormat.Name}\n#vars={string.Join(",", t.Variables.Select(kv => $"{kv.Key}={kv.Value.GetRawText()}"))}")
            : StableHash.Of("builtin-chat-format");
        Identity = new PolicyIdentity("builtin", name, WeightsHash: weightsHash, TemplateHash: template);
    }

    /// <summary>Loads a checkpoint directory (config.json + safetensors, optional generation_config.json) and hashes its files
    /// for the manifest. A Hugging Face folder with its own tokenizer.json and chat template is rendered with them
    /// (<see cref="RolloutRenderers.ForModel"/>), as <paramref name="options"/> say.</summary>
    public static BuiltinModelBackend Load(string directory, ChatTemplateOptions? options = null, Action<string>? status = null)
    {
        var model = Transformer.Load(directory);
        var renderer = RolloutRenderers.ForModel(directory, model.Config, options);
        return new(model, renderer, Path.GetFileName(Path.GetFullPath(directory).TrimEnd('/')), GenerationDefaults.Read(directory), CheckpointHash.Of(directory))
        {
            AcceptTemplateDrift = options?.AcceptDrift ?? false,
            DirectoryLabel = directory,
            OnStatus = status,
        };
    }

    /// <summary>Run append-only episodes even when the template's drift check fails (<c>builtin:DIR#accept_drift=true</c>).</summary>
    public bool AcceptTemplateDrift { get; init; }

    /// <summary>Called with a short status line: the drift check's verdict on each environment.</summary>
    public Action<string>? OnStatus { get; init; }

    /// <summary>The checkpoint directory, for messages.</summary>
    public string DirectoryLabel { get; init; } = "DIR";

    /// <summary>The renderer episodes are rendered with.</summary>
    public IRolloutRenderer Renderer => _renderer;

    public PolicyIdentity Identity { get; }

    /// <summary>Token limits used when a request sets none.</summary>
    public GenerationDefaults Defaults { get; }

    /// <summary>The rollout settings an evaluation configuration maps to.</summary>
    public RolloutSettings Settings(AgentSettings settings) => new()
    {
        Instructions = settings.Instructions,
        Limits = settings.Limits,
        View = settings.View,
        PromptFormat = settings.Format,
        Sampling = new SamplingOptions((float)(settings.Sampling.Temperature ?? 0), 0, (float)(settings.Sampling.TopP ?? 1)),
        MaxNewTokensPerTurn = settings.Sampling.MaxTokens ?? Defaults.MaxNewTokens,
        MaxTotalTokens = Defaults.MaxLength > 0 ? Math.Min(Defaults.MaxLength, _maxPositions) : _maxPositions,
    };

    public async Task RunAsync(IEnvironment environment, IReadOnlyList<EpisodeJob> jobs, AgentSettings settings, Func<EpisodeJob, EpisodeRecord, Task> finished, CancellationToken cancellationToken = default)
    {
        var rollout = Settings(settings);
        var worker = new RolloutWorker(_sessions, _renderer, environment, rollout);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (rollout.AppendOnly && jobs.Count > 0 && !_checkedDrift.Contains(environment.Name))
            {
                var drift = TemplateDriftCheck.Require(_renderer, TemplateDriftCheck.Sample(environment, jobs[0].Task, settings.Instructions), AcceptTemplateDrift,
                    $"run append-only anyway with builtin:{DirectoryLabel}#accept_drift=true, or evaluate with a history policy other than keep (the prompt is then rendered in full every turn)");
                _checkedDrift.Add(environment.Name);
                if (_renderer is ChatTemplateRolloutRenderer template)
                    OnStatus?.Invoke($"{template.Template.SourceName} on {environment.Name} (tool calls: {template.CallFormat.Name}): "
                        + (drift.HasDrift ? $"template drift accepted: {drift.Description}" : "turn-by-turn rollout tokens equal the full render"));
            }
            foreach (var wave in jobs.Chunk(rollout.MaxSequences))
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var rollouts = await Task.Run(() => worker.Run(wave.Select(j => new RolloutRequest(j.Task, 1, (ulong)j.Seed)).ToList(), cancellation: cancellationToken), cancellationToken).ConfigureAwait(false);
                var perEpisode = clock.Elapsed / Math.Max(1, wave.Length);
                for (var i = 0; i < wave.Length; i++)
                    await finished(wave[i], Record(rollouts[i][0], perEpisode)).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The evaluation record of one rollout.</summary>
    public static EpisodeRecord Record(Rollout rollout, TimeSpan latency)
    {
        var steps = rollout.Turns.Select((t, i) => new StepRecord
        {
            Turn = i,
            PromptTokens = t.PromptTokens,
            CompletionTokens = t.CompletionTokens,
            PrefixReused = i > 0 && t.PrefilledTokens < t.PromptTokens,
            CachedPromptTokens = t.PromptTokens - t.PrefilledTokens,
            Text = t.Text,
            Calls = t.Calls,
            FinishReason = t.FinishReason,
            ModelMilliseconds = latency.TotalMilliseconds / Math.Max(1, rollout.Turns.Count),
        }).ToList();
        return EpisodeRecord.From(rollout.Driver, steps, latency);
    }
}
