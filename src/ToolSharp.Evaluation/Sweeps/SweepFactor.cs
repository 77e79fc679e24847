using System.Text.Json;
using ToolSharp.Core.Errors;

namespace ToolSharp.Evaluation.Sweeps;

/// <summary>A swept factor whose levels are values of type <typeparamref name="T"/>: where its levels live in
/// <see cref="FactorLevels"/>, where its value lives in <see cref="FactorSetting"/>, and how a level is named, checked and hashed.</summary>
/// <param name="name">See <see cref="ISweepFactor.Name"/>.</param>
/// <param name="fileKey">See <see cref="ISweepFactor.FileKey"/>; the YAML name of the <see cref="FactorLevels"/> property.</param>
/// <param name="levels">The listed levels.</param>
/// <param name="withLevels">The levels with this factor's list replaced.</param>
/// <param name="get">A setting's level.</param>
/// <param name="with">A setting with this factor at another level.</param>
/// <param name="text">A level as text (tables, store, manifest).</param>
public sealed class SweepFactor<T>(
    string name,
    string fileKey,
    Func<FactorLevels, IReadOnlyList<T>> levels,
    Func<FactorLevels, IReadOnlyList<T>, FactorLevels> withLevels,
    Func<FactorSetting, T> get,
    Func<FactorSetting, T, FactorSetting> with,
    Func<T, string> text) : ISweepFactor
{
    public string Name => name;

    public string FileKey => fileKey;

    /// <summary>Puts a level in canonical form, or throws a <see cref="ToolSharpException"/>; null accepts every level as written.</summary>
    public Func<T, T>? Check { get; init; }

    /// <summary>What a listed level must be, for errors: e.g. <c>native or packed</c>.</summary>
    public string Expected { get; init; } = "a known level";

    /// <summary>The key in a setting's short label (<c>t</c> gives <c>t=0.7</c>); null shows the level alone.</summary>
    public string? LabelKey { get; init; }

    /// <summary>Writes the hash entry of a level given the resolved system prompt; null writes the level's text under <see cref="Name"/>.</summary>
    public Action<Utf8JsonWriter, T, string>? Hash { get; init; }

    public T Get(FactorSetting setting) => get(setting);

    public IReadOnlyList<string> LevelNames(FactorLevels l) => levels(l).Select(text).ToList();

    public string LevelName(FactorSetting setting) => text(get(setting));

    public string LabelPart(FactorSetting setting) => LabelKey is null ? LevelName(setting) : $"{LabelKey}={LevelName(setting)}";

    public IEnumerable<FactorSetting> Vary(FactorSetting setting, FactorLevels l) => levels(l).Select(v => with(setting, v));

    public FactorLevels Canonical(FactorLevels l)
    {
        var listed = levels(l);
        if (listed.Count == 0) throw new FactorLevelException(this, fileKey, null, "at least one level", "an empty list");
        var canonical = new List<T>();
        for (var i = 0; i < listed.Count; i++)
        {
            T level;
            try { level = Check is null ? listed[i] : Check(listed[i]); }
            catch (ToolSharpException) { throw new FactorLevelException(this, fileKey, i, Expected, $"'{text(listed[i])}'"); }
            var first = canonical.FindIndex(c => text(c) == text(level));
            if (first >= 0) throw new FactorLevelException(this, fileKey, i, $"each level once", $"'{text(level)}' again (also at [{first}])");
            canonical.Add(level);
        }
        return withLevels(l, canonical);
    }

    public void WriteHash(Utf8JsonWriter writer, FactorSetting setting, string instructions)
    {
        if (Hash is null) writer.WriteString(name, LevelName(setting));
        else Hash(writer, get(setting), instructions);
    }
}
