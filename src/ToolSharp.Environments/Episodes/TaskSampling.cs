using ToolSharp.Core.Errors;

namespace ToolSharp.Environments.Episodes;

/// <summary>Deterministic ways to pick tasks from an environment: in order, or a seeded sample.</summary>
public static class TaskSampling
{
    /// <summary>The tasks of a split in order (endless for generated splits: take what you need).</summary>
    public static IEnumerable<EnvironmentTask> Tasks(this IEnvironment environment, string split)
    {
        RequireSplit(environment, split);
        var count = environment.TaskCount(split);
        for (var i = 0; count is null || i < count; i++) yield return environment.GetTask(split, i);
    }

    /// <summary>
    /// <paramref name="count"/> distinct tasks chosen by <paramref name="seed"/>: the same seed gives the same tasks in the
    /// same order. A finite split is shuffled (Fisher–Yates) and cut; asking for more tasks than it has is an error.
    /// A generated split draws distinct indices from the seeded generator.
    /// </summary>
    public static IReadOnlyList<EnvironmentTask> SampleTasks(this IEnvironment environment, string split, int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        RequireSplit(environment, split);
        var rng = new Random(seed);
        var size = environment.TaskCount(split);
        if (size is { } n)
        {
            if (count > n)
                throw new ToolSharpException($"{environment.Name}: split '{split}' has {n} tasks, cannot sample {count}");
            var indices = Enumerable.Range(0, n).ToArray();
            for (var i = 0; i < count; i++)
            {
                var j = rng.Next(i, n);
                (indices[i], indices[j]) = (indices[j], indices[i]);
            }
            return indices.Take(count).Select(i => environment.GetTask(split, i)).ToList();
        }
        var seen = new HashSet<int>();
        var tasks = new List<EnvironmentTask>(count);
        while (tasks.Count < count)
        {
            var index = rng.Next(0, int.MaxValue);
            if (seen.Add(index)) tasks.Add(environment.GetTask(split, index));
        }
        return tasks;
    }

    /// <summary>Throws a clear error when <paramref name="split"/> is not one of the environment's splits; with
    /// <paramref name="setting"/>, the error names the setting that chose it (e.g. <c>rl.train_split</c>).</summary>
    public static void RequireSplit(IEnvironment environment, string split, string? setting = null)
    {
        if (environment.Splits.Contains(split)) return;
        var splits = string.Join(", ", environment.Splits);
        throw new ToolSharpException(setting is null
            ? $"{environment.Name}: unknown split '{split}' (splits: {splits})"
            : $"{setting}: environment '{environment.Name}' has no split '{split}' (splits: {splits})");
    }
}
