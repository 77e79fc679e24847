using System.Globalization;

namespace ToolSharp.Environments.Episodes;

/// <summary>The <c>split/index</c> task-id convention of environments whose tasks are numbered within splits.</summary>
public static class TaskIds
{
    public static string Format(string split, int index) => $"{split}/{index.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Reads <c>split/index</c>; false for anything else.</summary>
    public static bool TryParse(string id, out string split, out int index)
    {
        split = "";
        index = -1;
        var slash = id.LastIndexOf('/');
        if (slash <= 0 || !int.TryParse(id.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out index)) return false;
        split = id[..slash];
        return true;
    }

    /// <summary>Resolves <c>split/index</c> against an environment: null when the split is unknown or the index out of range.</summary>
    public static EnvironmentTask? Find(IEnvironment environment, string id)
    {
        if (!TryParse(id, out var split, out var index) || !environment.Splits.Contains(split)) return null;
        if (environment.TaskCount(split) is { } count && index >= count) return null;
        return environment.GetTask(split, index);
    }

    /// <summary>Throws a clear error unless <paramref name="index"/> is a valid position in the split.</summary>
    public static void RequireIndex(IEnvironment environment, string split, int index)
    {
        TaskSampling.RequireSplit(environment, split);
        var count = environment.TaskCount(split);
        if (index < 0 || index >= (count ?? int.MaxValue))
            throw new ArgumentOutOfRangeException(nameof(index), index, $"{environment.Name}: split '{split}' has {(count is null ? "no upper bound but" : count + " tasks;")} index must be non-negative{(count is null ? "" : " and below the count")}");
    }
}
