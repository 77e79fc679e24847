using System.Text.Json;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Environments.Countries;

/// <summary>The country tools: <c>lookup_country(name)</c>, <c>search_countries(region?, language?, currency?)</c>, <c>get_borders(code)</c>; outputs are compact JSON.</summary>
/// <remarks>Read-only over in-memory data: the tools are stateless and shared by all episodes.</remarks>
public static class CountryTools
{
    public static readonly ToolSpec LookupSpec = new("lookup_country",
        "Look up a country by name or ISO code. Returns JSON with name, official_name, code, capital, region, subregion, languages, currencies, borders (codes), area (km²) and landlocked.",
        JsonValues.Parse("""{"type":"object","properties":{"name":{"type":"string","description":"Country name or code, e.g. France or FRA"}},"required":["name"]}"""));

    public static readonly ToolSpec SearchSpec = new("search_countries",
        "Find countries matching all given filters (at least one). Returns JSON {count, countries: [{name, code}]} sorted by name.",
        JsonValues.Parse("""{"type":"object","properties":{"region":{"type":"string","description":"Region or subregion, e.g. Europe or Western Africa"},"language":{"type":"string","description":"Official language, e.g. French"},"currency":{"type":"string","description":"Currency code or name, e.g. EUR or Euro"}}}"""));

    public static readonly ToolSpec BordersSpec = new("get_borders",
        "List the land neighbours of a country given its code. Returns JSON [{code, name, area}] sorted by name ([] for none).",
        JsonValues.Parse("""{"type":"object","properties":{"code":{"type":"string","description":"ISO code, e.g. FRA"}},"required":["code"]}"""));

    public static IReadOnlyList<ToolSpec> Specs { get; } = [LookupSpec, SearchSpec, BordersSpec];

    public static IReadOnlyList<ITool> Create(CountryData data) =>
    [
        new DelegateTool(LookupSpec, args => Lookup(data, args.GetProperty("name").GetString()!)),
        new DelegateTool(SearchSpec, args => Search(data, Optional(args, "region"), Optional(args, "language"), Optional(args, "currency"))),
        new DelegateTool(BordersSpec, args => Borders(data, args.GetProperty("code").GetString()!)),
    ];

    public static string Lookup(CountryData data, string name)
    {
        var c = data.ByName(name) ?? throw new ToolInvocationException($"no country named '{name}'{Suggest(data, name)}");
        return JsonValues.ToCompact(JsonValues.Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("name", c.Name);
            w.WriteString("official_name", c.OfficialName);
            w.WriteString("code", c.Code);
            WriteStrings(w, "capital", c.Capitals);
            w.WriteString("region", c.Region);
            w.WriteString("subregion", c.Subregion);
            WriteStrings(w, "languages", c.Languages);
            w.WriteStartArray("currencies");
            foreach (var (code, currency) in c.Currencies)
            {
                w.WriteStartObject();
                w.WriteString("code", code);
                w.WriteString("name", currency);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            WriteStrings(w, "borders", c.Borders);
            WriteArea(w, c.Area);
            w.WriteBoolean("landlocked", c.Landlocked);
            w.WriteEndObject();
        }));
    }

    public static string Search(CountryData data, string? region, string? language, string? currency)
    {
        if (region is null && language is null && currency is null)
            throw new ToolInvocationException("give at least one of region, language, currency");
        var matches = SearchMatches(data, region, language, currency).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        return JsonValues.ToCompact(JsonValues.Build(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("count", matches.Count);
            w.WriteStartArray("countries");
            foreach (var c in matches)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteString("code", c.Code);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }));
    }

    /// <summary>The countries a search returns (the filters compare case- and accent-insensitively).</summary>
    public static IEnumerable<Country> SearchMatches(CountryData data, string? region, string? language, string? currency)
    {
        bool Same(string a, string b) => CountryData.Normalize(a) == CountryData.Normalize(b);
        return data.Countries.Where(c =>
            (region is null || Same(c.Region, region) || Same(c.Subregion, region)) &&
            (language is null || c.Languages.Any(l => Same(l, language))) &&
            (currency is null || c.Currencies.Any(x => Same(x.Code, currency) || Same(x.Name, currency))));
    }

    public static string Borders(CountryData data, string code)
    {
        var c = data.ByCode(code) ?? (code.Trim().Length == 2 ? data.Countries.FirstOrDefault(x => string.Equals(x.Code2, code.Trim(), StringComparison.OrdinalIgnoreCase)) : null)
            ?? throw new ToolInvocationException($"no country with code '{code}' (use lookup_country to find a code)");
        var neighbours = c.Borders.Select(b => data.ByCode(b)).OfType<Country>().OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        return JsonValues.ToCompact(JsonValues.Build(w =>
        {
            w.WriteStartArray();
            foreach (var n in neighbours)
            {
                w.WriteStartObject();
                w.WriteString("code", n.Code);
                w.WriteString("name", n.Name);
                WriteArea(w, n.Area);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }));
    }

    private static void WriteArea(Utf8JsonWriter w, double area)
    {
        if (area < 0) w.WriteNull("area"); // unknown in the data
        else w.WriteNumber("area", area);
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static string? Optional(JsonElement args, string name) =>
        args.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Trim().Length > 0 ? v.GetString() : null;

    private static string Suggest(CountryData data, string name)
    {
        var key = CountryData.Normalize(name);
        if (key.Length < 3) return "";
        var close = data.Countries.Where(c => CountryData.Normalize(c.Name).Contains(key) || key.Contains(CountryData.Normalize(c.Name)))
            .Select(c => c.Name).Take(3).ToList();
        return close.Count == 0 ? "" : $" (did you mean {string.Join(", ", close)}?)";
    }
}
