using ToolSharp.Environments.Bfcl.Leaderboard;
using ToolSharp.Core.Data;
using ToolSharp.Core.Errors;
using ToolSharp.Environments.Arith;
using ToolSharp.Environments.Episodes;
using ToolSharp.Environments.Bfcl;
using ToolSharp.Environments.Countries;
using ToolSharp.Environments.Gsm8k;
using ToolSharp.Environments.Sql;

namespace ToolSharp.Environments.Catalog;

/// <summary>Every built-in environment by name, created from a spec such as <c>arith</c> or <c>arith:levels=1-2,seed=7</c>.</summary>
public static class EnvironmentCatalog
{
    /// <summary>A catalog entry: its name, a one-line summary, the shared-data path it needs (if any) and its factory.</summary>
    public sealed record Entry(string Name, string Summary, string? RequiredData, Func<EnvironmentOptions, IEnvironment> Create)
    {
        /// <summary>True when the data it needs is present (always true for generated environments).</summary>
        public bool IsAvailable => RequiredData is null || File.Exists(ToolSharpData.PathTo(RequiredData)) || Directory.Exists(ToolSharpData.PathTo(RequiredData));
    }

    /// <summary>The built-in environments, in listing order.</summary>
    public static IReadOnlyList<Entry> Entries { get; } =
    [
        new(ArithEnvironment.BaseName, "multi-step arithmetic with a calculator (generated; options: levels, digits, seed, test)", null,
            o => new ArithEnvironment(ArithOptions.From(o))),
        new(ArithMemoryEnvironment.BaseName, "stateful multi-turn arithmetic with save/recall, scored by final memory (options: turns, seed, test)", null,
            ArithMemoryEnvironment.From),
        new(ArithChatEnvironment.BaseName, "multi-turn arithmetic chat, each turn one calculator call and an answer; linked turns continue from the last answer (options: turns, digits, linked, seed, test)", null,
            ArithChatEnvironment.From),
        new(Gsm8kEnvironment.BaseName, "GSM8K grade-school math with a calculator; demonstrations from its <<a*b=c>> annotations", Gsm8kEnvironment.DataFolder,
            _ => new Gsm8kEnvironment()),
        new(CountriesEnvironment.BaseName, "single- and multi-hop country questions with lookup/search/borders tools (options: hops, seed)", CountryData.DataFile,
            o => new CountriesEnvironment(seed: o.GetInt("seed", 0), hops: o.GetRange("hops", (1, CountriesEnvironment.MaxHops)))),
        new(SqlEnvironment.BaseName, "questions about a SQLite countries database with a read-only run_sql tool, checked by reference queries", CountryData.DataFile,
            _ => new SqlEnvironment()),
        new(BfclEnvironment.BaseName, "BFCL v4: single-turn (AST checker) and the four multi-turn categories (stateful backends, BFCL's checker; options: reward, travel_today)", BfclEnvironment.DataFolder,
            BfclEnvironment.From),
    ];

    public static IReadOnlyList<string> Names => Entries.Select(e => e.Name).ToList();

    /// <summary>Creates the environment a spec names, or throws an error listing the names that exist.</summary>
    public static IEnvironment Create(string spec)
    {
        var options = EnvironmentOptions.Parse(spec);
        var entry = Entries.FirstOrDefault(e => e.Name == options.Name)
            ?? throw new ToolSharpException($"unknown environment '{options.Name}' (available: {string.Join(", ", Names)})");
        if (!entry.IsAvailable)
            throw new ToolSharpException($"environment '{entry.Name}' needs shared data that is missing: {ToolSharpData.PathTo(entry.RequiredData!)} (set {ToolSharpData.EnvironmentVariable})");
        var environment = entry.Create(options);
        options.RejectUnknown();
        return environment;
    }
}
