using FsCheck;
using Microsoft.FSharp.Core;

namespace ToolSharp.Testing;

/// <summary>Runs FsCheck properties with a fixed seed, so a property test explores the same cases on every run.</summary>
/// <remarks>
/// For a deeper local search set <c>TOOLSHARP_PROPERTY_SCALE</c> (multiplies the case count) and
/// <c>TOOLSHARP_PROPERTY_SEED</c>; CI uses the defaults and stays deterministic.
/// </remarks>
public static class PropertyCheck
{
    /// <summary>Checks <paramref name="property"/> on <paramref name="maxTest"/> generated cases; throws with the counterexample on failure.</summary>
    public static void Run(Property property, ulong seed = 20261122, int maxTest = 300)
    {
        if (ulong.TryParse(Environment.GetEnvironmentVariable("TOOLSHARP_PROPERTY_SEED"), out var s)) seed = s;
        if (int.TryParse(Environment.GetEnvironmentVariable("TOOLSHARP_PROPERTY_SCALE"), out var scale) && scale > 0) maxTest *= scale;
        var config = Config.QuickThrowOnFailure
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None)))
            .WithMaxTest(maxTest)
            .WithQuietOnSuccess(true);
        Check.One(config, property);
    }
}
