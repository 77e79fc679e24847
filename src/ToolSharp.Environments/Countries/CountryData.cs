using ToolSharp.Core.WireFormats;
using System.Collections.Concurrent;
using System.Text.Json;
using ToolSharp.Core.Errors;
using ToolSharp.Core.Json;

namespace ToolSharp.Environments.Countries;

/// <summary>The countries of <c>world-countries/countries.json</c>, loaded once per process, with lookups by code and by name.</summary>
public sealed class CountryData
{
    /// <summary>The file below the shared data root.</summary>
    public const string DataFile = "datasets/world-countries/countries.json";

    private static readonly ConcurrentDictionary<string, Lazy<CountryData>> Cache = new();

    private readonly Dictionary<string, Country> _byCode;
    private readonly Dictionary<string, Country> _byName;

    public CountryData(IReadOnlyList<Country> countries)
    {
        Countries = countries;
        _byCode = countries.ToDictionary(c => c.Code, StringComparer.OrdinalIgnoreCase);
        _byName = new Dictionary<string, Country>(StringComparer.Ordinal);
        foreach (var c in countries)
        {
            // Earlier keys win so that a common name is never shadowed by another country's alternative spelling.
            foreach (var key in new[] { c.Name, c.OfficialName, c.Code, c.Code2 }.Concat(c.AltSpellings))
                _byName.TryAdd(Normalize(key), c);
        }
    }

    public IReadOnlyList<Country> Countries { get; }

    /// <summary>The data of a file, read on first use (an error names the file and the field when it does not fit).</summary>
    public static CountryData Load(string path) =>
        Cache.GetOrAdd(Path.GetFullPath(path), p => new Lazy<CountryData>(() => Read(p))).Value;

    public Country? ByCode(string code) => _byCode.GetValueOrDefault(code.Trim());

    /// <summary>A country by common or official name, alpha-2/alpha-3 code or alternative spelling; case, accents and punctuation ignored.</summary>
    public Country? ByName(string name) => _byName.GetValueOrDefault(Normalize(name));

    /// <summary>The key names are compared by (see <see cref="Scoring.TextAnswer.Fold"/>): "Côte d'Ivoire" → "cote d ivoire".</summary>
    public static string Normalize(string text) => Scoring.TextAnswer.Fold(text);

    /// <summary>Parses the file without caching.</summary>
    public static CountryData Read(string path)
    {
        if (!File.Exists(path)) throw new ToolSharpException($"{path}: file not found");
        var root = JsonValues.ParseFile(path);
        if (root.ValueKind != JsonValueKind.Array) throw new InputFormatException(path, "$", "an array of countries", JsonValues.SchemaTypeName(root));
        var list = new List<Country>();
        var i = 0;
        foreach (var c in root.EnumerateArray())
        {
            var field = $"[{i++}]";
            try
            {
                var name = c.GetProperty("name");
                list.Add(new Country(
                    c.GetProperty("cca3").GetString()!,
                    c.GetProperty("cca2").GetString()!,
                    name.GetProperty("common").GetString()!,
                    name.GetProperty("official").GetString()!,
                    Strings(c, "capital"),
                    c.GetProperty("region").GetString()!,
                    c.TryGetProperty("subregion", out var sub) && sub.ValueKind == JsonValueKind.String ? sub.GetString()! : "",
                    c.TryGetProperty("languages", out var langs) && langs.ValueKind == JsonValueKind.Object
                        ? langs.EnumerateObject().Select(l => l.Value.GetString()!).ToList()
                        : [],
                    c.TryGetProperty("currencies", out var cur) && cur.ValueKind == JsonValueKind.Object
                        ? cur.EnumerateObject().Select(p => (p.Name, p.Value.TryGetProperty("name", out var n) ? n.GetString()! : p.Name)).ToList()
                        : [],
                    Strings(c, "borders"),
                    c.GetProperty("area").GetDouble(),
                    c.TryGetProperty("landlocked", out var ll) && ll.ValueKind == JsonValueKind.True,
                    Strings(c, "altSpellings")));
            }
            catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InputFormatException(path, field, "a world-countries entry (name, cca2, cca3, region, area, …)", ex.Message);
            }
        }
        return new CountryData(list);
    }

    private static IReadOnlyList<string> Strings(JsonElement e, string property) =>
        e.TryGetProperty(property, out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
            : [];
}
