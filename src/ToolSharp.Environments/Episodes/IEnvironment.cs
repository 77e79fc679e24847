using ToolSharp.Core.Tools;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Environments.Episodes;

/// <summary>A source of tool-use tasks with verifiable rewards: tasks per split, fresh episodes with their own tools and state, and a scorer.</summary>
/// <remarks>
/// Implementations are immutable after construction and safe to share between threads: every piece of mutable state
/// lives in the <see cref="Episode"/> that <see cref="CreateEpisode"/> returns, so RL can run thousands of episodes in
/// parallel. Task generation is deterministic: the same environment (name, version, options) returns the same task
/// for the same split and index on every machine.
/// </remarks>
public interface IEnvironment
{
    /// <summary>Stable name, including options that change the tasks (e.g. <c>arith</c>, <c>arith:levels=1-2</c>).</summary>
    string Name { get; }

    /// <summary>Bumped whenever task generation, tools or scoring change, so results from different versions are not mixed.</summary>
    string Version { get; }

    /// <summary>One line for listings.</summary>
    string Description { get; }

    /// <summary>The system prompt episodes use unless the caller supplies another one.</summary>
    string DefaultInstructions { get; }

    /// <summary>The tools every episode offers; empty when the tools differ per task (BFCL).</summary>
    IReadOnlyList<ToolSpec> ToolSpecs { get; }

    /// <summary>The split names, e.g. <c>train</c> and <c>test</c>.</summary>
    IReadOnlyList<string> Splits { get; }

    /// <summary>How many tasks a split holds; null when tasks are generated without end.</summary>
    int? TaskCount(string split);

    /// <summary>The task at <paramref name="index"/> of <paramref name="split"/>, the same on every call and machine.</summary>
    EnvironmentTask GetTask(string split, int index);

    /// <summary>The task with this id, or null when the id does not belong to this environment.</summary>
    EnvironmentTask? FindTask(string id);

    /// <summary>A fresh episode for <paramref name="task"/>: its own state, tools, limits, call log and scorer. Cheap.</summary>
    Episode CreateEpisode(EnvironmentTask task, ToolExecutionOptions? options = null);

    /// <summary>The turn and tool-call limits an episode of <paramref name="task"/> runs under unless the caller sets its own;
    /// tasks with several user turns or long call chains raise them.</summary>
    EpisodeLimits Limits(EnvironmentTask task) => EpisodeLimits.Default;
}
