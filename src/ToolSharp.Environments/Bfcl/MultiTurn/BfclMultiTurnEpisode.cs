using System.Text.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Bfcl.Backends;
using ToolSharp.Environments.Bfcl.Python;

namespace ToolSharp.Environments.Bfcl.MultiTurn;

/// <summary>One run of a BFCL multi-turn entry, as BFCL's inference loop runs it: the functions offered at each turn,
/// the user messages (BFCL's message on a miss_func holdout turn), each model response's calls executed on the
/// entry's own backend instances with the result strings BFCL feeds back, the decoded calls recorded per turn and
/// step, and the checker's verdict on them.</summary>
/// <remarks>
/// <para>Drive it turn by turn: <see cref="UserMessages"/> for the turn, then for every model response with calls
/// <see cref="ExecuteStep(IReadOnlyList{string})"/> (a response without calls, or one that cannot be decoded, ends the
/// turn), then <see cref="EndTurn"/>. BFCL allows <see cref="MaxStepsPerTurn"/> steps per turn: the step after that
/// ends the whole entry (<see cref="ForceTerminated"/>), which then scores <c>multi_turn:force_terminated</c>.</para>
/// <para>All state lives in this object; a new episode for the same entry starts from the initial configuration (BFCL
/// keeps instances in a process-wide cache, so re-running an id in one process continues from the mutated state).</para>
/// </remarks>
public sealed class BfclMultiTurnEpisode
{
    /// <summary>BFCL's <c>MAXIMUM_STEP_LIMIT</c>: steps (model responses with calls) allowed in one turn.</summary>
    public const int MaxStepsPerTurn = 20;

    /// <summary>BFCL's user message on a holdout turn in function-calling mode (<c>DEFAULT_USER_PROMPT_FOR_ADDITIONAL_FUNCTION_FC</c>).</summary>
    public const string HoldoutMessage = "I have updated some more functions you can choose from. What about now?";

    private readonly BfclMultiTurnOptions _options;
    private readonly BfclInstances _instances;
    private readonly IReadOnlyList<JsonElement> _initialTools;
    private readonly IReadOnlyDictionary<int, IReadOnlyList<JsonElement>> _heldOut;
    private readonly List<List<IReadOnlyList<string>>> _turns = [[]];
    private int _stepsThisTurn;

    public BfclMultiTurnEpisode(BfclMultiTurnEntry entry, BfclFunctionDocs docs, BfclMultiTurnOptions? options = null)
    {
        Entry = entry;
        _options = options ?? BfclMultiTurnOptions.Default;
        _instances = new BfclInstances(entry, _options.ModelName, new BfclRuntime(_options));
        (_initialTools, _heldOut) = docs.Compile(entry);
    }

    public BfclMultiTurnEntry Entry { get; }

    public int TurnCount => Entry.Turns.Count;

    /// <summary>The turn in progress (0-based); equals <see cref="TurnCount"/> once every turn has ended.</summary>
    public int Turn { get; private set; }

    /// <summary>True after a turn exceeded <see cref="MaxStepsPerTurn"/>: BFCL stops the entry there.</summary>
    public bool ForceTerminated { get; private set; }

    /// <summary>True when no more steps may run: all turns done, or the entry was force-terminated.</summary>
    public bool Finished => ForceTerminated || Turn >= TurnCount;

    /// <summary>The functions offered at the start (the system prompt's list in prompt mode): every involved class's
    /// docs minus the miss_func holdouts.</summary>
    public IReadOnlyList<JsonElement> InitialTools => _initialTools;

    /// <summary>The functions offered in function-calling mode at <paramref name="turn"/>: the initial ones, plus the
    /// holdouts from their turn on (appended, as BFCL extends its list).</summary>
    public IReadOnlyList<JsonElement> Tools(int turn) =>
        [.. _initialTools, .. _heldOut.Where(h => h.Key <= turn).OrderBy(h => h.Key).SelectMany(h => h.Value)];

    /// <summary>The docs that come back at <paramref name="turn"/> (none except on a holdout turn).</summary>
    public IReadOnlyList<JsonElement> HeldOutTools(int turn) => _heldOut.TryGetValue(turn, out var docs) ? docs : [];

    /// <summary>The user messages of <paramref name="turn"/>; on a holdout turn (no question) BFCL's message: the fixed
    /// text in function-calling mode, the Python repr of the returned docs, a newline and the text in prompt mode.</summary>
    public IReadOnlyList<Message> UserMessages(int turn, bool promptMode = false)
    {
        if (!_heldOut.TryGetValue(turn, out var docs)) return Entry.Turns[turn];
        if (!promptMode) return [Message.User(HoldoutMessage)];
        var list = new PyList(docs.Select(d => Py.FromJson(d)).ToList());
        return [Message.User(Py.Repr(list) + "\n" + HoldoutMessage)];
    }

    /// <summary>Executes one model response's decoded calls (BFCL call strings) in order and returns the result
    /// strings BFCL feeds back, one per call. An empty list ends nothing and records nothing (BFCL ends the turn).</summary>
    public IReadOnlyList<string> ExecuteStep(IReadOnlyList<string> calls)
    {
        if (Finished) throw new InvalidOperationException($"episode {Entry.Id} has no turn in progress");
        if (calls.Count == 0) return [];
        var results = _instances.Execute(calls);
        _turns[Turn].Add(calls.ToList());
        _stepsThisTurn++;
        if (_stepsThisTurn > MaxStepsPerTurn) ForceTerminated = true;
        return results;
    }

    /// <summary>Executes one response's tool calls: each rendered as BFCL's function-calling decoder renders it
    /// (<see cref="BfclCallText.FunctionCalling"/>), or its prompt-mode decoder with <paramref name="promptMode"/>.
    /// Null when BFCL's decoder would fail (then the turn ends, and nothing ran).</summary>
    public IReadOnlyList<string>? ExecuteStep(IReadOnlyList<ToolCall> calls, bool promptMode = false)
    {
        var texts = calls.Select(c => promptMode ? BfclCallText.Prompting(c.Name, c.Arguments) : BfclCallText.FunctionCalling(c.Name, c.Arguments)).ToList();
        return texts.Any(t => t is null) ? null : ExecuteStep(texts.Select(t => t!).ToList());
    }

    /// <summary>Ends the turn in progress and starts the next one.</summary>
    public void EndTurn()
    {
        if (Finished) throw new InvalidOperationException($"episode {Entry.Id} has no turn in progress");
        Turn++;
        _stepsThisTurn = 0;
        if (Turn < TurnCount) _turns.Add([]);
    }

    /// <summary>The decoded calls of every turn started so far, per step: what a BFCL result file holds for this entry
    /// (after a force-termination, up to and including the turn that hit the limit, as BFCL records it).</summary>
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> DecodedCalls =>
        _turns.Select(t => (IReadOnlyList<IReadOnlyList<string>>)t).ToList();

    /// <summary>The checker's verdict on <see cref="DecodedCalls"/>: an episode stopped before its last turn has fewer
    /// turns than the ground truth and fails with <c>multi_turn:force_terminated</c>; one stopped in its last turn is
    /// checked like any other, as in BFCL.</summary>
    public BfclMultiTurnVerdict Score() => BfclMultiTurnChecker.Check(Entry, DecodedCalls, _options);

    /// <summary>Each instance's public state now, as canonical JSON (for logs).</summary>
    public IReadOnlyDictionary<string, string> State() => _instances.Classes.ToDictionary(c => c.Key, c => BfclStateJson.Dump(c.Value));
}
