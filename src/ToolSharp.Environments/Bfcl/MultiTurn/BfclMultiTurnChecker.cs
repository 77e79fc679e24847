using System.Runtime.CompilerServices;
using ToolSharp.Environments.Bfcl.Backends;
using ToolSharp.Environments.Bfcl.Python;

namespace ToolSharp.Environments.Bfcl.MultiTurn;

/// <summary>BFCL's multi-turn checker (<c>multi_turn_checker.py</c>), rule for rule, on ToolSharp's backends.</summary>
/// <remarks>
/// <para>A result has one list of steps per ground-truth turn (otherwise <c>multi_turn:force_terminated</c>); each step
/// is the decoded call strings of one model response. Turn by turn, on fresh instances for the model and for the ground
/// truth (BFCL's instance names end in <c>_eval</c> and <c>_ground_truth_eval</c>): every model step of the turn is
/// executed, then the turn's ground-truth calls. Then:</para>
/// <list type="number">
/// <item>a non-empty ground-truth turn with no model step fails with <c>multi_turn:empty_turn_model_response</c>;</item>
/// <item>an empty ground-truth turn is not checked (its model calls still ran, so the state carries on);</item>
/// <item>state: every public attribute of every ground-truth instance must equal (Python <c>==</c>: exact floats,
/// dict order ignored, list order kept) the model instance's, else <c>multi_turn:instance_state_mismatch</c>;</item>
/// <item>response: the turn's ground-truth result strings must be a multiset subset of the model's result strings of
/// all turns so far, else <c>multi_turn:execution_response_mismatch</c>.</item>
/// </list>
/// <para>The first failure decides. Both sides share one <see cref="BfclRuntime"/>, as they share BFCL's module globals.</para>
/// </remarks>
public static class BfclMultiTurnChecker
{
    /// <summary>Checks decoded model calls (<c>[turn][step][call string]</c>; undecodable and empty steps already
    /// dropped, as BFCL's runner drops them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static BfclMultiTurnVerdict Check(BfclMultiTurnEntry entry, IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> decoded, BfclMultiTurnOptions? options = null)
    {
        options ??= BfclMultiTurnOptions.Default;
        var truth = entry.GroundTruth;
        if (decoded.Count != truth.Count)
        {
            return BfclMultiTurnVerdict.Fail("multi_turn:force_terminated",
                $"Model was force-terminated during inference phase. The length of the model result turns ({decoded.Count}) does not match the length of the ground truth turns ({truth.Count}).");
        }
        var runtime = new BfclRuntime(options);
        var model = new BfclInstances(entry, options.ModelName + "_eval", runtime);
        var groundTruth = new BfclInstances(entry, options.ModelName + "_ground_truth_eval", runtime);
        var allModelResults = new List<string>();
        var modelResults = new List<IReadOnlyList<IReadOnlyList<string>>>();
        var truthResults = new List<IReadOnlyList<string>>();
        BfclMultiTurnVerdict Fail(string type, string message, int turn, string? details = null) =>
            BfclMultiTurnVerdict.Fail(type, message, turn) with { ModelResults = modelResults, GroundTruthResults = truthResults, Details = details };

        for (var turn = 0; turn < truth.Count; turn++)
        {
            var steps = decoded[turn];
            var turnResults = new List<IReadOnlyList<string>>();
            foreach (var step in steps)
            {
                var results = model.Execute(step);
                turnResults.Add(results);
                allModelResults.AddRange(results);
            }
            var expected = groundTruth.Execute(truth[turn]);
            modelResults.Add(turnResults);
            truthResults.Add(expected);

            if (truth[turn].Count > 0 && (steps.Count == 0 || steps.Count == 1 && steps[0].Count == 0))
                return Fail("multi_turn:empty_turn_model_response", $"Model response list is empty for turn {turn}", turn);
            if (truth[turn].Count == 0) continue;

            foreach (var (className, expectedInstance) in groundTruth.Classes)
            {
                var differences = Differences(model.Classes[className], expectedInstance);
                if (differences.Count > 0)
                {
                    return Fail("multi_turn:instance_state_mismatch",
                        $"Model instance for {className} does not match the state with ground truth instance.", turn,
                        $"{className}: {string.Join(", ", differences)}");
                }
            }

            var missing = MissingFrom(allModelResults, expected);
            if (missing.Count > 0)
            {
                return Fail("multi_turn:execution_response_mismatch",
                    $"Model response execution results so far does not contain all the ground truth response execution results for turn {turn}.", turn,
                    "missing: " + Py.Repr(new PyList(missing.Select(m => (object?)m).ToList())));
            }
        }
        return BfclMultiTurnVerdict.Ok with { ModelResults = modelResults, GroundTruthResults = truthResults };
    }

    /// <summary>The public attributes of <paramref name="expected"/> that differ in <paramref name="actual"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static List<string> Differences(BfclApi actual, BfclApi expected)
    {
        // Both are instances of one class, so their attributes come in the same order.
        var differences = new List<string>();
        foreach (var (a, e) in actual.State().Zip(expected.State()))
        {
            if (!ReferenceEquals(a.Value, e.Value) && !Py.Equal(a.Value, e.Value)) differences.Add(e.Name);
        }
        return differences;
    }

    /// <summary>The items of <paramref name="expected"/> not matched one-for-one in <paramref name="available"/>
    /// (Python's <c>list.remove</c> per item: first equal one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static List<string> MissingFrom(IReadOnlyList<string> available, IReadOnlyList<string> expected)
    {
        var pool = available.ToArray();
        var missing = new List<string>();
        foreach (var e in expected)
        {
            var index = Array.FindIndex(pool, a => a is not null && string.Equals(a, e, StringComparison.Ordinal));
            if (index >= 0) pool[index] = null!;
            else missing.Add(e);
        }
        return missing;
    }
}
