using ToolSharp.Core.Randomness;

namespace ToolSharp.Training.Prompts;

/// <summary>Online pre-rollout filtering: skips prompts that keep being solved, before any rollout is spent on them.</summary>
/// <remarks>
/// For every prompt a win streak c counts consecutive epochs in which all its rollouts were correct; a prompt that is
/// rolled out and not fully solved drops back to c = 0 and re-enters. In an epoch only prompts with c &lt; k are rolled
/// out. Skipped prompts are not re-checked (that is where the saving comes from) unless
/// <see cref="PromptFilterOptions.RecheckEvery"/> asks for a periodic re-check. The all-wrong variant counts a loss
/// streak the same way and re-admits such prompts with a fixed probability. State is a plain dictionary so that it
/// is checkpointed with the run.
/// </remarks>
public sealed class PromptFilter
{
    private readonly Dictionary<string, PromptRecord> _records = new(StringComparer.Ordinal);

    public PromptFilter(PromptFilterOptions? options = null) => Options = options ?? PromptFilterOptions.Default;

    public PromptFilterOptions Options { get; }

    /// <summary>What the filter knows about one prompt.</summary>
    public sealed record PromptRecord(int SolvedStreak, int UnsolvedStreak, int ConsecutiveSkips, int TotalSkips);

    /// <summary>Prompt-epochs skipped so far.</summary>
    public long SkippedPrompts { get; private set; }

    /// <summary>Whether a prompt should be rolled out in this epoch (call once per prompt per epoch); <paramref name="random"/> decides unsolved retries.</summary>
    public bool ShouldTrain(string promptId, SeededRandom random)
    {
        if (!_records.TryGetValue(promptId, out var r)) return true;
        var k = Options.SolvedStreakToSkip;
        var skip = r.SolvedStreak >= k ||
                   (Options.SkipUnsolved && r.UnsolvedStreak >= k && random.NextDouble() >= Options.UnsolvedRetryProbability);
        if (skip && Options.RecheckEvery > 0 && r.ConsecutiveSkips >= Options.RecheckEvery) skip = false;
        if (skip)
        {
            _records[promptId] = r with { ConsecutiveSkips = r.ConsecutiveSkips + 1, TotalSkips = r.TotalSkips + 1 };
            SkippedPrompts++;
        }
        return !skip;
    }

    /// <summary>Records the outcome of a prompt's rollouts in this epoch.</summary>
    public void Record(string promptId, int correct, int total)
    {
        var r = _records.GetValueOrDefault(promptId) ?? new PromptRecord(0, 0, 0, 0);
        var allCorrect = total > 0 && correct == total;
        var allWrong = total > 0 && correct == 0;
        _records[promptId] = r with
        {
            SolvedStreak = allCorrect ? r.SolvedStreak + 1 : 0,
            UnsolvedStreak = allWrong ? r.UnsolvedStreak + 1 : 0,
            ConsecutiveSkips = 0,
        };
    }

    public PromptRecord? Get(string promptId) => _records.GetValueOrDefault(promptId);

    /// <summary>A copy of the state for checkpoints.</summary>
    public IReadOnlyDictionary<string, PromptRecord> Snapshot() => new Dictionary<string, PromptRecord>(_records, StringComparer.Ordinal);

    /// <summary>Restores state saved by <see cref="Snapshot"/>.</summary>
    public void Restore(IReadOnlyDictionary<string, PromptRecord> records, long skipped)
    {
        _records.Clear();
        foreach (var (key, value) in records) _records[key] = value;
        SkippedPrompts = skipped;
    }
}
