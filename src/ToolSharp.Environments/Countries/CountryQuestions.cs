using System.Globalization;

namespace ToolSharp.Environments.Countries;

/// <summary>Generates every question the countries environment asks, with answers computed from the data.</summary>
/// <remarks>
/// Only unambiguous questions are kept: a single capital or currency, a unique largest neighbour, counts of at least
/// two. Single-hop: capital, currency code, subregion, number of land neighbours; counts by region and language or by
/// currency (one search). Multi-hop: the largest neighbour (lookup, then borders) and its capital (three hops).
/// </remarks>
public static class CountryQuestions
{
    public static IReadOnlyList<CountryQuestion> All(CountryData data)
    {
        var list = new List<CountryQuestion>();
        foreach (var c in data.Countries.OrderBy(c => c.Code, StringComparer.Ordinal))
        {
            if (c.Capitals.Count == 1)
                list.Add(Text(c, "capital", $"What is the capital of {c.Name}?", c.Capitals[0], [c.Capitals[0]], 1));
            if (c.Currencies.Count == 1)
            {
                var (code, name) = c.Currencies[0];
                list.Add(Text(c, "currency", $"What is the ISO code of the currency of {c.Name}?", code, [code, name], 1));
            }
            if (c.Subregion.Length > 0)
                list.Add(Text(c, "subregion", $"In which subregion is {c.Name}?", c.Subregion, [c.Subregion], 1));
            if (c.Borders.Count > 0)
                list.Add(Number(c.Code, "border_count", $"How many countries share a land border with {c.Name}?", c.Borders.Count, 1));

            if (LargestNeighbour(data, c) is { } largest)
            {
                list.Add(Text(c, "largest_neighbour", $"Which neighbouring country of {c.Name} has the largest area?",
                    largest.Name, [largest.Name, largest.OfficialName, largest.Code], 2));
                if (largest.Capitals.Count == 1)
                    list.Add(Text(c, "largest_neighbour_capital", $"What is the capital of the largest neighbouring country of {c.Name}?",
                        largest.Capitals[0], [largest.Capitals[0]], 3));
            }
        }

        foreach (var region in data.Countries.Select(c => c.Region).Distinct().Order(StringComparer.Ordinal))
        {
            var inRegion = data.Countries.Where(c => c.Region == region).ToList();
            foreach (var language in inRegion.SelectMany(c => c.Languages).Distinct().Order(StringComparer.Ordinal))
            {
                var count = inRegion.Count(c => c.Languages.Contains(language));
                if (count >= 2)
                    list.Add(Number($"{region}|{language}", "language_count",
                        $"How many countries in {region} have {language} as an official language?", count, 1));
            }
        }
        foreach (var group in data.Countries.SelectMany(c => c.Currencies).GroupBy(x => x.Code).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var count = data.Countries.Count(c => c.Currencies.Any(x => x.Code == group.Key));
            if (count >= 2)
                list.Add(Number(group.Key, "currency_count", $"How many countries use the {group.First().Name} ({group.Key})?", count, 1));
        }
        return list;
    }

    /// <summary>The neighbour with the largest area when there are at least two, every area is known and the largest is
    /// unique; otherwise null (the question would be ambiguous).</summary>
    public static Country? LargestNeighbour(CountryData data, Country country)
    {
        var neighbours = country.Borders.Select(data.ByCode).OfType<Country>().ToList();
        if (neighbours.Count < 2 || !neighbours.All(n => n.Area > 0)) return null;
        var ordered = neighbours.OrderByDescending(n => n.Area).ToList();
        return ordered[0].Area > ordered[1].Area ? ordered[0] : null;
    }

    private static CountryQuestion Text(Country subject, string template, string text, string answer, IReadOnlyList<string> accepted, int hops) =>
        new($"{template}|{subject.Code}", template, text, answer, accepted.Distinct().ToList(), false, hops);

    private static CountryQuestion Number(string subject, string template, string text, int answer, int hops)
    {
        var value = answer.ToString(CultureInfo.InvariantCulture);
        return new($"{template}|{subject}", template, text, value, [value], true, hops);
    }
}
