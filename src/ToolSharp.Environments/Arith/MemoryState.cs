using System.Text.Json;
using ToolSharp.Core.Json;
using ToolSharp.Environments.Calculator;
using ToolSharp.Environments.Episodes;

namespace ToolSharp.Environments.Arith;

/// <summary>The notebook of an <c>arith-memory</c> episode: named exact numbers saved by the agent, kept across turns.</summary>
public sealed class MemoryState : IEpisodeState
{
    private readonly Dictionary<string, Rational> _values = new(StringComparer.Ordinal);

    /// <summary>At most this many names, so a runaway agent cannot grow the state without bound.</summary>
    public const int MaxEntries = 64;

    public IReadOnlyDictionary<string, Rational> Values => _values;

    public void Save(string name, Rational value)
    {
        if (!_values.ContainsKey(name) && _values.Count >= MaxEntries)
            throw new Tools.ToolInvocationException($"the memory is full ({MaxEntries} names); overwrite an existing name");
        _values[name] = value;
    }

    public bool TryGet(string name, out Rational value) => _values.TryGetValue(name, out value);

    public JsonElement Snapshot() => JsonValues.Build(w =>
    {
        w.WriteStartObject();
        foreach (var (name, value) in _values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.WritePropertyName(name);
            w.WriteRawValue(value.ToDecimalString(10));
        }
        w.WriteEndObject();
    });
}
