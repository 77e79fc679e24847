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
/// Native mode uses the renderer's own chat format and tool rendering (what the model was trained on); prompt mode
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
        Identity = new PolicyIdentity("builtin", name, WeightsHash: weightsHash, TemplateHash: StableHash.Of("builtin-chat-format"));
    }

    /// <summary>Loads a checkpoint directory (config.json + safetensors, optional generation_config.json) and hashes its files for the manifest.</summary>
    public static BuiltinModelBackend Load(string directory) =>
        new(Transformer.Load(directory), BuiltinRolloutRenderer.Instance, Path.GetFileName(Path.GetFullPath(directory).TrimEnd('/')),
            GenerationDefaults.Read(directory), CheckpointHash.Of(directory));

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
