namespace ToolSharp.Environments.Bfcl.Backends;

/// <summary>How ToolSharp runs BFCL's multi-turn backends; the defaults reproduce BFCL.</summary>
public sealed record BfclMultiTurnOptions
{
    /// <summary>BFCL's model name, part of the instance names BFCL prefixes to calls (and so of any argument text that
    /// happens to contain <c>method_name(</c>, which BFCL's prefixing rewrites too). Default <c>toolsharp</c>.</summary>
    public string ModelName { get; init; } = "toolsharp";

    /// <summary>The "today" of <c>TravelAPI.verify_traveler_information</c>'s age check. Null (default): the machine's
    /// local date, as BFCL's <c>datetime.today()</c>; set a date to make the check reproducible.</summary>
    public DateOnly? TravelToday { get; init; }

    /// <summary>How <c>MathAPI.logarithm</c> computes: <see cref="BfclLogarithm.Mpmath"/> (default: a BFCL install,
    /// whose mpmath results render as <c>{'result': mpf('1.301025')}</c>) or <see cref="BfclLogarithm.MathLog"/> (the
    /// float fallback of BFCL's stdlib-only replay script: <c>{"result": 1.3010299956639813}</c>).</summary>
    public BfclLogarithm Logarithm { get; init; } = BfclLogarithm.Mpmath;

    /// <summary>BFCL's <c>long_context.py</c> (filler data for the long-context category). Null: under the shared
    /// folder, <c>reference/bfcl/</c> + <see cref="BfclLongContextData.RelativePath"/>.</summary>
    public string? LongContextFile { get; init; }

    public static BfclMultiTurnOptions Default { get; } = new();

    internal string ResolveLongContextFile() =>
        LongContextFile ?? Path.Combine(Core.Data.ToolSharpData.Root, "reference", "bfcl", BfclLongContextData.RelativePath);
}
