using ToolSharp.Evaluation.Agent;
using ToolSharp.Evaluation.Policies;
using ToolSharp.Evaluation.Sweeps;
using ToolSharp.Testing;

namespace ToolSharp.Evaluation.Tests.Fakes;

/// <summary>Builds sweeps against a <see cref="SimulatedEndpoint"/> behind a <see cref="FakeOpenAiServer"/>.</summary>
public static class SimulatedSweep
{
    public static readonly IReadOnlyDictionary<string, double> Skills = new Dictionary<string, double> { ["strong"] = 0.9, ["weak"] = 0.6 };

    /// <summary>≥ 2 models × 3 seeds × 2 prompts × 2 templates × 2 history policies on arith (and optionally bfcl).</summary>
    public static string Yaml(Uri baseUrl, int tasks = 4, bool bfcl = false) => $$"""
        name: simulated
        models:
          - {name: strong, model: "openai:{{baseUrl}}#strong", concurrency: 4}
          - {name: weak, model: "openai:{{baseUrl}}#weak", concurrency: 4}
        environments:
          - {env: "arith:levels=1", split: test, tasks: {{tasks}}}
        {{(bfcl ? "  - {env: bfcl, split: simple_python, tasks: 3}\n  - {env: bfcl, split: irrelevance, tasks: 2}" : "")}}
        factors:
          seeds: [1, 2, 3]
          system_prompts: [default, minimal]
          templates: [native, packed]
          history: [keep, drop-reasoning]
        max_turns: 4
        """;

    public static SimulatedEndpoint Endpoint(SweepPlan plan) => new(plan.Environments.SelectMany(e => e.Tasks), Skills);

    public static Func<ModelEntry, IPolicy> Policies(int attempts = 3) => m => PolicyFactory.Create(m.Spec, concurrency: m.Concurrency,
        retry: new RetryOptions { MaxAttempts = attempts, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero, AttemptTimeout = TimeSpan.FromSeconds(30) });
}
