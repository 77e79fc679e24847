using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ToolSharp.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ToolSharp.Training.Pipeline;

/// <summary>Reads and writes <see cref="TrainConfig"/> as YAML (or JSON) with <c>key.path=value</c> overrides.</summary>
/// <remarks>
/// Layers, each over the one before: the embedded defaults (spelled out, so a file or override that sets one key of a
/// section keeps the section's other defaults), the file, then the overrides in order. YAML is converted to a JSON tree
/// (plain scalars typed as YAML 1.2 core: null, booleans, numbers; quoted scalars stay strings), the layers are merged
/// key by key, and the tree is bound to the records with System.Text.Json in snake_case with unknown keys rejected.
/// Every key remembers where it was set, so an unknown key or a wrong value is one line naming file:line:column (or
/// the override), the key path, and expected vs. found.
/// Not YamlDotNet's typed deserializer: it builds each section afresh from the record's bare defaults (no merging over
/// the embedded ones), cannot construct positional records, and reads YAML 1.1 scalars (<c>steps: null</c> becomes 0,
/// <c>010</c> is 8, <c>1:30</c> is 90, <c>yes</c>/<c>off</c> are booleans), so each of those would need replacing.
/// </remarks>
public static class TrainConfigFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        WriteIndented = true,
    };

    /// <summary>Loads a config file (null = defaults) and applies overrides such as <c>rl.steps=50</c>.</summary>
    public static TrainConfig Load(string? path, IEnumerable<string>? overrides = null) =>
        Read(path is null ? null : File.ReadAllText(path), path ?? "defaults", overrides);

    /// <summary>Reads config text (YAML or JSON; null = defaults only) named <paramref name="source"/> in errors, then
    /// applies the overrides.</summary>
    public static TrainConfig Read(string? text, string source, IEnumerable<string>? overrides = null)
    {
        var layers = new Layers(ToTree(new TrainConfig()));
        if (text is not null) layers.Set([], Parse(text, source, layers));
        foreach (var assignment in overrides ?? []) Override(layers, assignment);
        return Bind(layers);
    }

    /// <summary>The config as YAML with every setting spelled out (what <c>toolsharp train --print-config</c> prints).</summary>
    public static string ToYaml(TrainConfig config)
    {
        var text = new StringBuilder();
        WriteYaml(text, ToTree(config), 0);
        return text.ToString();
    }

    private static JsonObject ToTree(TrainConfig config) => JsonSerializer.SerializeToNode(config, Json)!.AsObject();

    /// <summary>Parses YAML or JSON text into a JSON tree, recording in <paramref name="layers"/> (when given) where each key was written.</summary>
    private static JsonObject Parse(string text, string source, Layers? layers)
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
        if (stream.Documents.Count > 1)
            throw new ToolSharpException($"{At(source, stream.Documents[1].RootNode.Start)}: expected one YAML document, found {stream.Documents.Count}");
        var root = stream.Documents[0].RootNode;
        return Convert(root, source, [], layers) as JsonObject
            ?? throw new ToolSharpException($"{At(source, root.Start)}: expected a mapping of settings at the top level");
    }

    /// <summary>Applies <c>a.b.c=value</c>; the value is read as a YAML scalar or flow collection.</summary>
    private static void Override(Layers layers, string assignment)
    {
        var eq = assignment.IndexOf('=');
        if (eq <= 0) throw new ToolSharpException($"override '{assignment}': expected key.path=value");
        var keys = assignment[..eq].Trim().Split('.').Select(Key).ToArray();
        var source = $"override '{assignment}'";
        // Everything the override sets is placed at the override itself.
        var value = Parse($"v: {assignment[(eq + 1)..]}", source, layers: null)["v"];
        layers.Set(keys, value, source);
    }

    /// <summary>Binds the merged tree to a config; an error names where the offending key was set.</summary>
    private static TrainConfig Bind(Layers layers)
    {
        TrainConfig config;
        try
        {
            config = layers.Tree.Deserialize<TrainConfig>(Json) ?? new TrainConfig();
        }
        catch (JsonException e)
        {
            var keys = Keys(e.Path);
            var (type, known) = TypeAt(keys);
            var path = keys.Length == 0 ? "(top level)" : string.Join('.', keys);
            var problem = e.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"unknown setting (known here: {string.Join(", ", known)})"
                : $"invalid value: expected {Expected(type)}, found {Found(layers.Find(keys))}";
            throw new ToolSharpException($"{layers.Origin(keys)}: {path}: {problem}");
        }
        // Settings with their own syntax, checked here so a bad one is named where it was set, before anything runs.
        try { _ = config.Rl.Rollout.View; }
        catch (ToolSharpException e) { throw new ToolSharpException($"{layers.Origin(["rl", "rollout", "history"])}: {e.Message}"); }
        return config;
    }

    /// <summary>The type a key path binds to (null when the path leaves the config's records) and the settings known
    /// in the section that holds the last key.</summary>
    private static (Type? Type, IEnumerable<string> Known) TypeAt(string[] keys)
    {
        Type? type = typeof(TrainConfig);
        IEnumerable<string> known = [];
        foreach (var key in keys)
        {
            if (type is null || Json.GetTypeInfo(type) is not { Kind: JsonTypeInfoKind.Object } info) return (null, known);
            known = info.Properties.Select(p => p.Name);
            type = info.Properties.FirstOrDefault(p => p.Name == key)?.PropertyType;
        }
        return (type, known);
    }

    private static string Expected(Type? type)
    {
        if (type is null) return "a valid value";
        if (Nullable.GetUnderlyingType(type) is { } inner) return Expected(inner) + " or null";
        if (type.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.SnakeCaseLower.ConvertName));
        return Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => "true or false",
            TypeCode.String => "a string",
            TypeCode.Int32 or TypeCode.Int64 => "a whole number",
            TypeCode.UInt64 or TypeCode.UInt32 => "a non-negative whole number",
            TypeCode.Single or TypeCode.Double => "a number",
            _ => "a mapping of settings",
        };
    }

    private static string Found(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "a mapping",
        JsonArray => "a list",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonSerializer.Serialize(v.GetValue<string>()),
        _ => node.ToJsonString(),
    };

    /// <summary>"$.rl.prompt_filter.x" or "$.a[0]" as keys.</summary>
    private static string[] Keys(string? jsonPath) =>
        (jsonPath ?? "$").TrimStart('$').Replace("[", ".[", StringComparison.Ordinal).Split('.', StringSplitOptions.RemoveEmptyEntries);

    private static string Key(string key) => key.Trim().Replace('-', '_');

    private static string At(string source, Mark mark) => $"{source}:{mark.Line}:{mark.Column}";

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

    private static JsonNode? Convert(YamlNode node, string source, IReadOnlyList<string> path, Layers? layers)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (keyNode, valueNode) in map.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { } name })
                        throw new ToolSharpException($"{At(source, keyNode.Start)}: {Describe(path)}: expected a setting name, found a {(keyNode is YamlSequenceNode ? "list" : "mapping")}");
                    var key = Key(name); // YamlStream has refused duplicate keys; "a-b" and "a_b" are the same key
                    if (obj.ContainsKey(key)) throw new ToolSharpException($"{At(source, keyNode.Start)}: {Describe([.. path, key])}: set twice");
                    layers?.Record([.. path, key], At(source, keyNode.Start));
                    obj[key] = Convert(valueNode, source, [.. path, key], layers);
                }
                return obj;
            case YamlSequenceNode seq:
                return new JsonArray(seq.Children.Select(c => Convert(c, source, path, layers)).ToArray());
            case YamlScalarNode s:
                return ScalarValue(s);
            default:
                throw new ToolSharpException($"{At(source, node.Start)}: {Describe(path)}: unsupported YAML node");
        }
    }

    private static string Describe(IReadOnlyList<string> path) => path.Count == 0 ? "(top level)" : string.Join('.', path);

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

    /// <summary>The merged settings tree and, for each key path, where the last layer that set it did so (file:line:column
    /// or the override); a layer that merges into a section leaves the origins of the keys it does not set alone.</summary>
    private sealed class Layers(JsonObject tree)
    {
        private readonly Dictionary<string, string> _origins = new(StringComparer.Ordinal);

        public JsonObject Tree { get; } = tree;

        public void Record(IReadOnlyList<string> keys, string origin) => _origins[string.Join('.', keys)] = origin;

        /// <summary>Puts <paramref name="value"/> at <paramref name="keys"/> (every key in it set by <paramref name="origin"/>,
        /// when given): mappings merge key by key, anything else replaces.</summary>
        public void Set(IReadOnlyList<string> keys, JsonNode? value, string? origin = null)
        {
            if (keys.Count == 0)
            {
                Merge(Tree, (JsonObject)value!);
                return;
            }
            var node = Tree;
            for (var i = 0; i < keys.Count - 1; i++)
                node = node[keys[i]] as JsonObject ?? (JsonObject)(node[keys[i]] = new JsonObject());
            if (value is JsonObject mapping && node[keys[^1]] is JsonObject existing) Merge(existing, mapping);
            else node[keys[^1]] = value?.DeepClone();
            if (origin is not null) RecordAll(keys, value, origin);
        }

        private void RecordAll(IReadOnlyList<string> keys, JsonNode? value, string origin)
        {
            Record(keys, origin);
            if (value is JsonObject mapping)
                foreach (var (key, child) in mapping) RecordAll([.. keys, key], child, origin);
        }

        public JsonNode? Find(IReadOnlyList<string> keys)
        {
            JsonNode? node = Tree;
            foreach (var key in keys) node = node is JsonObject o ? o[key] : null;
            return node;
        }

        /// <summary>Where the innermost set key on <paramref name="keys"/> came from.</summary>
        public string Origin(IReadOnlyList<string> keys)
        {
            for (var n = keys.Count; n > 0; n--)
                if (_origins.TryGetValue(string.Join('.', keys.Take(n)), out var origin)) return origin;
            return "defaults";
        }

        private static void Merge(JsonObject into, JsonObject from)
        {
            foreach (var (key, value) in from.ToList())
            {
                if (value is JsonObject child && into[key] is JsonObject existing) Merge(existing, child);
                else into[key] = value?.DeepClone();
            }
        }
    }
}
