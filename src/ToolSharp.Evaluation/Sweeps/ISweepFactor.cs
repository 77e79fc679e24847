using System.Text.Json;

namespace ToolSharp.Evaluation.Sweeps;

/// <summary>A swept factor other than the model, environment and seed. Each is declared once, in <see cref="SweepFactors"/>;
/// the designs, configuration hashes, manifest, results store and reports all work from that declaration.</summary>
public interface ISweepFactor
{
    /// <summary>Its name in tables, the results store, the manifest and the variance decomposition, e.g. <c>temperature</c>.</summary>
    string Name { get; }

    /// <summary>The key under <c>factors:</c> in a sweep file that lists its levels, e.g. <c>temperatures</c>.</summary>
    string FileKey { get; }

    /// <summary>The listed levels as text, baseline first.</summary>
    IReadOnlyList<string> LevelNames(FactorLevels levels);

    /// <summary>The level of a setting as text.</summary>
    string LevelName(FactorSetting setting);

    /// <summary>The level as it appears in a setting's short label (e.g. <c>t=0.7</c>).</summary>
    string LabelPart(FactorSetting setting);

    /// <summary><paramref name="setting"/> with this factor at each listed level in turn, baseline first.</summary>
    IEnumerable<FactorSetting> Vary(FactorSetting setting, FactorLevels levels);

    /// <summary>The levels with this factor's checked and put in canonical form.</summary>
    /// <exception cref="FactorLevelException">No level is listed, one names nothing that exists, or one is listed twice.</exception>
    FactorLevels Canonical(FactorLevels levels);

    /// <summary>Writes what the configuration hash records of this factor for a setting.</summary>
    void WriteHash(Utf8JsonWriter writer, FactorSetting setting, string instructions);
}
