using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ToolSharp.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ToolSharp.Training.Pipeline;

/// <summary>Reads and writes <see cref="TrainConfig"/> as YAML (or JSON) with <c>key.path=value</c> overrides.</summary>
/// <remarks>
/// YAML is converted to a JSON tree first (plain scalars typed as YAML 1.2 core: null, booleans, numbers; quoted
/// scalars stay strings), overrides are applied to that tree, and the tree is bound with System.Text.Json in snake_case
/// with unknown keys rejected, so a typo in a key is an error naming the key rather than a silently ignored setting.
/// </remarks>
public static class TrainConfigFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = true,
    };

    /// <summary>Loads a config file (null = defaults) and applies overrides such as <c>rl.steps=50</c>.</summary>
    public static TrainConfig Load(string? path, IEnumerable<string>? overrides = null)
    {
        var source = path ?? "defaults";
        // Start from the spelled-out defaults so a file or override that sets one key of a section keeps the
        // section's other defaults (binding a partial section would fall back to the record's bare defaults instead).
        var tree = ToTree(new TrainConfig());
        if (path is not null) Merge(tree, Parse(File.ReadAllText(path), path));
        foreach (var o in overrides ?? []) Override(tree, o);
        return Bind(tree, source);
    }

    /// <summary>Parses YAML or JSON text into a JSON tree.</summary>
    public static JsonObject Parse(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ToolSharpException($"{source}:{e.Start.Line}:{e.Start.Column}: invalid YAML: {e.InnerException?.Message ?? e.Message}");
        }
        if (stream.Documents.Count == 0) return new JsonObject();
        var root = Convert(stream.Documents[0].RootNode, source);
        return root as JsonObject ?? throw new ToolSharpException($"{source}: expected a mapping of settings at the top level");
    }

    /// <summary>Sets <c>a.b.c=value</c> in the tree; the value is read as a YAML scalar or flow collection.</summary>
    public static void Override(JsonObject tree, string assignment)
    {
        var eq = assignment.IndexOf('=');
        if (eq <= 0) throw new ToolSharpException($"override '{assignment}': expected key.path=value");
        var keys = assignment[..eq].Trim().Split('.').Select(k => k.Replace('-', '_')).ToArray();
        var valueText = assignment[(eq + 1)..];
        var value = Parse($"v: {valueText}", $"override '{assignment}'")["v"];
        JsonObject node = tree;
        for (var i = 0; i < keys.Length - 1; i++)
        {
            if (node[keys[i]] is JsonObject child) node = child;
            else node = (JsonObject)(node[keys[i]] = new JsonObject());
        }
        node[keys[^1]] = value?.DeepClone();
    }

    /// <summary>Copies <paramref name="from"/> into <paramref name="into"/>: objects merge key by key, anything else replaces.</summary>
    public static void Merge(JsonObject into, JsonObject from)
    {
        foreach (var (key, value) in from.ToList())
        {
            if (value is JsonObject child && into[key] is JsonObject existing) Merge(existing, child);
            else into[key] = value?.DeepClone();
        }
    }

    /// <summary>Binds a JSON tree to a config, naming the offending key on error.</summary>
    public static TrainConfig Bind(JsonObject tree, string source)
    {
        try
        {
            return tree.Deserialize<TrainConfig>(Json) ?? new TrainConfig();
        }
        catch (JsonException e)
        {
            var path = (e.Path ?? "$").TrimStart('$').TrimStart('.');
            var reason = e.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "unknown setting" : "invalid value";
            var detail = e.InnerException?.Message ?? FirstSentence(e.Message);
            throw new ToolSharpException($"{source}: {(path.Length == 0 ? "(top level)" : path)}: {reason}: {detail}");
        }
    }

    /// <summary>The config as a JSON tree with every setting spelled out.</summary>
    public static JsonObject ToTree(TrainConfig config) => JsonSerializer.SerializeToNode(config, Json)!.AsObject();

    /// <summary>The config as YAML with every setting spelled out (what <c>toolsharp train --print-config</c> prints).</summary>
    public static string ToYaml(TrainConfig config)
    {
        var text = new StringBuilder();
        WriteYaml(text, ToTree(config), 0);
        return text.ToString();
    }

    private static void WriteYaml(StringBuilder text, JsonObject node, int indent)
    {
        foreach (var (key, value) in node)
        {
            text.Append(' ', indent).Append(key).Append(':');
            if (value is JsonObject child)
            {
                if (child.Count == 0) text.Append(" {}\n");
                else
                {
                    text.Append('\n');
                    WriteYaml(text, child, indent + 2);
                }
            }
            else text.Append(' ').Append(Scalar(value)).Append('\n');
        }
    }

    private static string Scalar(JsonNode? value) => value switch
    {
        null => "null",
        JsonArray a => "[" + string.Join(", ", a.Select(Scalar)) + "]",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonSerializer.Serialize(v.GetValue<string>()),
        _ => value.ToJsonString(),
    };

    private static JsonNode? Convert(YamlNode node, string source) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!.Replace('-', '_'), Convert(kv.Value, source)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(c => Convert(c, source)).ToArray()),
        YamlScalarNode s => ScalarValue(s),
        _ => throw new ToolSharpException($"{source}:{node.Start.Line}: unsupported YAML node"),
    };

    private static JsonNode? ScalarValue(YamlScalarNode s)
    {
        var v = s.Value ?? "";
        if (s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded) return JsonValue.Create(v);
        if (v is "" or "~" or "null" or "Null" or "NULL") return null;
        if (v is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (v is "false" or "False" or "FALSE") return JsonValue.Create(false);
        if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return JsonValue.Create(d);
        return JsonValue.Create(v);
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
