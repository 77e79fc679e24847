using System.Text.Json;

namespace ToolSharp.Environments.Episodes;

/// <summary>The mutable backend state of a stateful episode (a notebook, a memory), kept across turns and scored at the end.</summary>
public interface IEpisodeState
{
    /// <summary>The current state as JSON, for scoring details and reports.</summary>
    JsonElement Snapshot();
}
