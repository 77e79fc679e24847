using ToolSharp.Core.Hashing;

namespace ToolSharp.Environments.Episodes;

/// <summary>Splits a finite set of generated questions into train and test by a stable hash of each question's key.</summary>
/// <remarks>
/// Membership depends on the key only (about 3 in 16 land in test), so adding questions or changing the seed never
/// moves a test question into train; the seed only changes the order within each split.
/// </remarks>
public static class HashSplit
{
    public static bool IsTest(string key) => StableHash.Of("split|" + key)[0] is '0' or '1' or '2';

    /// <summary>The items of each split (<c>train</c>, <c>test</c>), ordered by a hash of the seed and key.</summary>
    public static Dictionary<string, IReadOnlyList<T>> Partition<T>(IEnumerable<T> items, Func<T, string> key, int seed = 0)
    {
        var ordered = items.OrderBy(item => StableHash.Of($"{seed}|{key(item)}"), StringComparer.Ordinal).ToList();
        return new Dictionary<string, IReadOnlyList<T>>
        {
            ["train"] = ordered.Where(item => !IsTest(key(item))).ToList(),
            ["test"] = ordered.Where(item => IsTest(key(item))).ToList(),
        };
    }
}
