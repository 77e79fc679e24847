using System.Globalization;
using ToolSharp.Core.Errors;

namespace ToolSharp.Environments.Episodes;

/// <summary>An environment spec from a config or command line, <c>name[:key=value,key=value]</c>, with typed option readers.</summary>
/// <remarks>Readers remember which keys they were asked for, so <see cref="RejectUnknown"/> can name a misspelt option.</remarks>
public sealed class EnvironmentOptions
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private EnvironmentOptions(string name, Dictionary<string, string> values)
    {
        Name = name;
        _values = values;
    }

    /// <summary>The environment name before the colon.</summary>
    public string Name { get; }

    /// <summary>Parses <c>arith:levels=1-2,seed=3</c>.</summary>
    public static EnvironmentOptions Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var colon = spec.IndexOf(':');
        var name = (colon < 0 ? spec : spec[..colon]).Trim();
        if (name.Length == 0) throw new ToolSharpException($"environment spec '{spec}': expected a name such as 'arith' or 'arith:levels=1-2'");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (colon >= 0)
        {
            foreach (var part in spec[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var eq = part.IndexOf('=');
                if (eq <= 0) throw new ToolSharpException($"environment spec '{spec}': expected key=value, found '{part}'");
                if (!values.TryAdd(part[..eq].Trim(), part[(eq + 1)..].Trim()))
                    throw new ToolSharpException($"environment spec '{spec}': option '{part[..eq].Trim()}' given twice");
            }
        }
        return new EnvironmentOptions(name, values);
    }

    public bool Has(string key) => _values.ContainsKey(key);

    public string? GetString(string key)
    {
        _read.Add(key);
        return _values.GetValueOrDefault(key);
    }

    public int GetInt(string key, int defaultValue)
    {
        var text = GetString(key);
        if (text is null) return defaultValue;
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ToolSharpException($"environment '{Name}': option {key}: expected an integer, found '{text}'");
    }

    /// <summary>Reads <c>a-b</c> or a single <c>a</c> (meaning a-a).</summary>
    public (int Min, int Max) GetRange(string key, (int Min, int Max) defaultValue)
    {
        var text = GetString(key);
        if (text is null) return defaultValue;
        var parts = text.Split('-');
        if (parts.Length is 1 or 2 &&
            int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min) &&
            int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var max) && min <= max)
            return (min, max);
        throw new ToolSharpException($"environment '{Name}': option {key}: expected a range such as 1-3, found '{text}'");
    }

    /// <summary>Throws when the spec holds a key no reader asked for (a typo would otherwise be silently ignored).</summary>
    public void RejectUnknown()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count == 0) return;
        var known = _read.Count == 0 ? "it takes no options" : "known: " + string.Join(", ", _read.Order(StringComparer.Ordinal));
        throw new ToolSharpException($"environment '{Name}': unknown option {string.Join(", ", unknown)} ({known})");
    }
}
