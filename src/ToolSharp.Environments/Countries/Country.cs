namespace ToolSharp.Environments.Countries;

/// <summary>One country from the world-countries data, reduced to the facts the tools and questions use.</summary>
/// <param name="Code">ISO 3166-1 alpha-3 code (e.g. <c>FRA</c>), the key used by borders.</param>
/// <param name="Code2">ISO alpha-2 code (e.g. <c>FR</c>).</param>
/// <param name="Name">Common English name.</param>
/// <param name="OfficialName">Official English name.</param>
/// <param name="Capitals">Capital cities (none for a few territories, several for a few countries).</param>
/// <param name="Region">Continent-level region (Africa, Americas, Antarctic, Asia, Europe, Oceania).</param>
/// <param name="Subregion">Subregion (e.g. Western Europe); may be empty.</param>
/// <param name="Languages">Official language names.</param>
/// <param name="Currencies">Currencies as (ISO code, name).</param>
/// <param name="Borders">Alpha-3 codes of land neighbours.</param>
/// <param name="Area">Area in square kilometres (negative when unknown in the data).</param>
/// <param name="Landlocked">True when the country has no coastline.</param>
/// <param name="AltSpellings">Other names and codes people use.</param>
public sealed record Country(
    string Code,
    string Code2,
    string Name,
    string OfficialName,
    IReadOnlyList<string> Capitals,
    string Region,
    string Subregion,
    IReadOnlyList<string> Languages,
    IReadOnlyList<(string Code, string Name)> Currencies,
    IReadOnlyList<string> Borders,
    double Area,
    bool Landlocked,
    IReadOnlyList<string> AltSpellings);
