using System.Text.Json;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Core.WireFormats;
using ToolSharp.Environments.Episodes;

namespace ToolSharp.Environments.Bfcl.MultiTurn;

/// <summary>A BFCL multi-turn entry as the episode driver runs it: each response's calls one step on the entry's
/// backends (<see cref="BfclMultiTurnEpisode"/>), the functions and holdout message of each turn, BFCL's step limit.</summary>
/// <remarks>Calls are rendered as BFCL's function-calling decoder renders them in both of ToolSharp's modes: in prompt
/// mode ToolSharp's own call format has already read the text into structured calls, so there is no second decoder to
/// imitate (BFCL's prompt-mode decoder differs only for dict-valued arguments, see <see cref="BfclCallText.Prompting"/>).</remarks>
public sealed class BfclMultiTurnSteps : IStepwiseTools, IEpisodeState
{
    private readonly string _taskId;

    public BfclMultiTurnSteps(BfclMultiTurnEpisode episode, string taskId)
    {
        Episode = episode;
        _taskId = taskId;
    }

    /// <summary>The BFCL run underneath: its decoded calls and the checker's verdict.</summary>
    public BfclMultiTurnEpisode Episode { get; }

    public bool Stopped => Episode.ForceTerminated;

    public IReadOnlyList<Message> MessagesOf(int userTurn) => Episode.UserMessages(userTurn);

    public IReadOnlyList<ToolSpec> ToolsAt(int userTurn) =>
        Episode.Tools(userTurn).Select((doc, i) => BfclSchema.ToToolSpec(doc, _taskId, $"function[{i}]")).ToList();

    public void BeginUserTurn(int userTurn)
    {
        if (userTurn < Episode.Turn)
            throw new InvalidOperationException($"{_taskId}: user turn {userTurn} begins after turn {Episode.Turn} started");
        while (Episode.Turn < userTurn && !Episode.Finished) Episode.EndTurn();
    }

    public IReadOnlyList<ToolResult>? RunStep(IReadOnlyList<ToolCall> calls)
    {
        var results = Episode.ExecuteStep(calls);
        return results?.Select((text, i) => text.StartsWith(ExecutionErrorPrefix, StringComparison.Ordinal)
            ? ToolResult.Failure(calls[i], new ToolCallError(ToolCallErrorKind.ExecutionFailed, text[ExecutionErrorPrefix.Length..])) with { Content = text }
            : ToolResult.Success(calls[i], text)).ToList();
    }

    /// <summary>The decoded calls per turn and step, as a BFCL result file's <c>result</c> holds them.</summary>
    public JsonElement Snapshot() => JsonValues.Build(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("result");
        WriteDecodedCalls(w, Episode.DecodedCalls);
        w.WritePropertyName("state");
        w.WriteStartObject();
        foreach (var (name, json) in Episode.State())
        {
            w.WritePropertyName(name);
            w.WriteRawValue(json);
        }
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>Writes calls per turn and step as nested JSON arrays of call strings.</summary>
    public static void WriteDecodedCalls(Utf8JsonWriter w, IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> turns)
    {
        w.WriteStartArray();
        foreach (var turn in turns)
        {
            w.WriteStartArray();
            foreach (var step in turn)
            {
                w.WriteStartArray();
                foreach (var call in step) w.WriteStringValue(call);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    /// <summary>How BFCL's executor reports an exception raised by a call (its result text, fed back to the model).</summary>
    private const string ExecutionErrorPrefix = "Error during execution: ";
}
