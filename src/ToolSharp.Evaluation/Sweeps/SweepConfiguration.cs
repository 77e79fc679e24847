using ToolSharp.Core.Formats;
using ToolSharp.Core.History;
using ToolSharp.Environments.Episodes;
using ToolSharp.Evaluation.Agent;
using ToolSharp.Evaluation.Store;

namespace ToolSharp.Evaluation.Sweeps;

/// <summary>One cell of a sweep: a model, an environment with its task subset, and a factor setting, with its stable hash.</summary>
/// <param name="Hash">Stable across runs and machines (see <see cref="SweepPlan"/> for what enters it); episodes are keyed by it.</param>
/// <param name="Instructions">The resolved system prompt text for this environment.</param>
public sealed record SweepConfiguration(ModelEntry Model, EnvironmentEntry Environment, FactorSetting Setting, string Hash, string Instructions)
{
    public string Label => $"{Model.Label} · {Environment.Label} · {Setting.Label}";

    /// <summary>The configuration as the results store keeps it: labels, prompt text and every factor level.</summary>
    public StoredConfiguration Stored =>
        new(Hash, Model.Label, Model.Spec, Environment.Label, Instructions, SweepFactors.All.ToDictionary(f => f.Name, f => f.LevelName(Setting)));

    /// <summary>How the agent loop runs an episode of this configuration with the given seed.</summary>
    public AgentSettings AgentSettings(SweepDefinition sweep, int seed, int trial)
    {
        var format = Setting.Format == "native" ? null : ToolCallFormats.Get(Setting.Format);
        return new AgentSettings
        {
            Instructions = Instructions,
            View = new ConversationView(HistoryPolicies.Parse(Setting.History), MultiTurnConstructions.Parse(Setting.Template), format ?? ToolCallFormats.Hermes),
            Format = format,
            Sampling = new SamplingParameters(Setting.Temperature, Setting.TopP, SamplingSeed(seed, trial),
                sweep.MaxTokens ?? (Policies.ModelSpec.Parse(Model.Spec).Kind == "builtin" ? null : SweepDefinition.EndpointMaxTokens)),
            Limits = sweep.MaxTurns is null && sweep.MaxToolCalls is null ? null : EpisodeLimits.Default.Override(sweep.MaxTurns, sweep.MaxToolCalls),
        };
    }

    /// <summary>The sampling seed of a (seed, trial): the seed itself for trial 0, so single-trial sweeps send the seeds as written.</summary>
    public static long SamplingSeed(int seed, int trial) => trial == 0 ? seed : seed + 1_000_003L * trial;
}
